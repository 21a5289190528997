"""Durable ingest of webhook and polled updates: stored first, answered 200, then turned.

A platform update (Telegram, Zalo, Messenger) is appended to one Redis stream of a fixed
set of shards (the shard is a hash of the customer's ordering key), and only then is the
platform answered 200; when Redis cannot store it the webhook answers 503 with
Retry-After and the platform delivers it again. Each shard is consumed by one replica at a
time (a lease), through a consumer group: entries are acknowledged after their turn
committed, a failed entry stays pending and is run again before anything newer of the
shard, and a replica that takes over a shard claims what the previous one left pending.
So a customer's updates run in the order they were stored, each at least once; the
message ids make the second run of a redelivered update a no-op.
"""
