"""The one place Redis keys are built.

Every key of one user carries the hash tag `{u:<id>}`, so all of a user's keys live in
one Redis Cluster slot and a turn's MULTI/EXEC never spans slots.
"""

from __future__ import annotations


class Keys:
    """Builds every Redis key under one prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _user(self, user_id: str, what: str) -> str:
        return f"{self.prefix}:{{u:{user_id}}}:{what}"

    def identity(self, channel: str, external_id: str) -> str:
        """`(channel, external id)` -> internal user id (a string)."""
        return f"{self.prefix}:identity:{channel}:{external_id}"

    def all_users(self) -> str:
        """Set of every user id (the audience of broadcasts)."""
        return f"{self.prefix}:users"

    def user(self, user_id: str) -> str:
        """The user's hash: id, created, locale, profile, identities, stage, ..."""
        return self._user(user_id, "user")

    def stage_history(self, user_id: str) -> str:
        """List of JSON transitions, oldest first."""
        return self._user(user_id, "stages")

    def transcript(self, user_id: str) -> str:
        """Stream of the messages written before the transcript became a list (read only)."""
        return self._user(user_id, "transcript")

    def transcript_list(self, user_id: str) -> str:
        """List of every inbound and outbound message (compact JSON), oldest first."""
        return self._user(user_id, "log")

    def inbound(self, user_id: str, message_id: str) -> str:
        """Replies of an already processed inbound message (idempotency)."""
        return self._user(user_id, f"in:{message_id}")

    def turn_lock(self, user_id: str) -> str:
        """Held while one turn of the user runs (ordering across replicas)."""
        return self._user(user_id, "lock")

    def wake(self, user_id: str) -> str:
        """List a lease's release pushes to, waking a replica blocked on it (BLPOP)."""
        return self._user(user_id, "wake")

    def wanted(self, user_id: str) -> str:
        """How many replicas wait for the customer's lease (so releases push only then)."""
        return self._user(user_id, "wanted")

    def outbox(self, user_id: str) -> str:
        """Messages waiting for a REST customer to fetch them."""
        return self._user(user_id, "outbox")

    def last_inbound(self, user_id: str) -> str:
        """Hash channel -> when the customer last wrote there (opens a messaging window)."""
        return self._user(user_id, "last_in")

    def unreachable(self, user_id: str) -> str:
        """Hash channel -> why and when the customer cannot be messaged there (blocked bot)."""
        return self._user(user_id, "unreachable")

    def proactive_count(self, user_id: str, day: str) -> str:
        """How many proactive messages the customer got on a local day (`2026-11-23`)."""
        return self._user(user_id, f"proactive:{day}")

    def handoffs(self, user_id: str) -> str:
        """List of the customer's closed handoffs (JSON records, oldest first)."""
        return self._user(user_id, "handoffs")

    def support_topic(self, user_id: str) -> str:
        """The customer's forum topic id in the support group."""
        return self._user(user_id, "support:topic")

    def support_topic_claim(self, user_id: str) -> str:
        """Held by the one replica that creates the customer's topic."""
        return self._user(user_id, "support:claim")

    def support_thread(self, chat_id: int, thread_id: int) -> str:
        """A support group topic -> the user id of its customer."""
        return f"{self.prefix}:support:thread:{chat_id}:{thread_id}"

    def events(self, user_id: str) -> str:
        """Stream of what happened to the user (trial started, survey answered, ...)."""
        return self._user(user_id, "events")

    def event_seen(self, user_id: str, event_id: str) -> str:
        """A product event id already taken in for the customer (idempotency)."""
        return self._user(user_id, f"event:{event_id}")

    def event_times(self, user_id: str, name: str) -> str:
        """Sorted set of the customer's product events of one name, by when they happened."""
        return self._user(user_id, f"event_times:{name}")

    def merges(self, user_id: str) -> str:
        """Hash absorbed user id -> the record of its merge into this customer (for unmerge)."""
        return self._user(user_id, "merges")

    def webhooks(self, what: str) -> str:
        """Outbound webhooks: endpoints, deliveries and their queues, all in one slot."""
        return f"{self.prefix}:{{webhooks}}:{what}"

    def webhooks_channel(self) -> str:
        """The pub/sub channel announcing a change to the webhook endpoints."""
        return f"{self.prefix}:webhooks:endpoints-changed"

    def referrals(self, user_id: str, which: str) -> str:
        """Set of the users a customer referred: `joined`, or `credited` with the reward."""
        return self._user(user_id, f"referrals:{which}")

    def code(self, kind: str, code: str) -> str:
        """A unique code of one kind (trial, referral) -> the user id it belongs to."""
        return f"{self.prefix}:code:{kind}:{code}"

    def broadcast(self, broadcast_id: str, what: str) -> str:
        """A broadcast's `meta` hash (message, segment, counters)."""
        return f"{self.prefix}:{{bc:{broadcast_id}}}:{what}"

    def broadcast_list(self) -> str:
        """Sorted set of broadcast ids by creation time (the console's list)."""
        return f"{self.prefix}:broadcasts"

    def policies(self, what: str) -> str:
        """Published policy revisions (`seq`, `revisions`, `current`), all in one slot."""
        return f"{self.prefix}:{{policies}}:{what}"

    def policies_channel(self) -> str:
        """The pub/sub channel announcing a new policy revision."""
        return f"{self.prefix}:policies:published"

    def jobs(self, what: str) -> str:
        """The scheduler's job queue (`due` sorted set, `bodies` hash), in one slot."""
        return f"{self.prefix}:{{jobs}}:{what}"

    def open_handoffs(self) -> str:
        """Sorted set of the customers in a handoff, by when it started."""
        return f"{self.prefix}:handoffs:open"

    def zalo(self, what: str) -> str:
        """Zalo OA state of all replicas: `token` (the token pair), `refresh` (its lock)."""
        return f"{self.prefix}:zalo:{what}"

    def channel_status(self, channel: str) -> str:
        """Hash of what the replicas learnt about a channel's platform (for /healthz)."""
        return f"{self.prefix}:channel:{channel}:status"

    def ingest(self, shard: int, what: str) -> str:
        """One ingest shard: `stream` (updates waiting for their turn), `lease` (its consumer).

        Both share the hash tag `{ingest:<shard>}`, and so does every `once` key of the
        shard, so the script that checks a replay and queues an update stays in one slot.
        """
        return f"{self.prefix}:{{ingest:{shard}}}:{what}"

    def ingest_replicas(self) -> str:
        """Sorted set of the replicas consuming ingest shards, by their last heartbeat."""
        return f"{self.prefix}:ingest:replicas"

    def ingest_dead(self) -> str:
        """Stream of updates given up after repeated failures (for people to look at)."""
        return f"{self.prefix}:ingest:dead"

    def misunderstood(self) -> str:
        """Stream of the messages the bot did not understand, waiting for a person's label."""
        return f"{self.prefix}:nlu:misunderstood"

    def misunderstood_untrained(self) -> str:
        """Set of the labelled texts no trained model has seen yet (the review page's count)."""
        return f"{self.prefix}:nlu:untrained"

    def login_attempts(self, kind: str, who: str) -> str:
        """Console login attempts in the current window, per account name or client address.

        One hash tag for all, so one script counts both on Redis Cluster.
        """
        return f"{self.prefix}:{{login}}:{kind}:{who}"

    def console(self, what: str) -> str:
        """Console accounts, sessions, login failures and the audit log."""
        return f"{self.prefix}:console:{what}"

    def pattern(self) -> str:
        """A SCAN pattern matching every key under this prefix."""
        return f"{self.prefix}:*"
