"""The Facebook Messenger platform, pure of any engine wiring.

Webhook verification and parsing, the Send API sender, and the 24-hour window with the
human-agent tag for staff replies.
"""
