"""The Zalo Official Account platform, pure of any engine wiring.

Webhook verification and parsing, the OA API sender, the access token kept fresh across
replicas, and the 7-day messaging window.
"""
