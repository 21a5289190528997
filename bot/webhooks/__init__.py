"""Signed outbound webhooks to the marketer's CRM: endpoints, a durable queue, the sender."""
