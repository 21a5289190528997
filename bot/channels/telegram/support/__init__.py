"""The Telegram support group: one forum topic per customer in a handoff."""
