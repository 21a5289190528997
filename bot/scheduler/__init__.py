"""Proactive messages: a durable job queue in Redis, follow-ups, guardrails, broadcasts."""
