"""Conversation tests (`tests/conversations/*.yml`), run by `python -m bot policies test`."""
