"""The stored answers that make a turn idempotent: exactly once per message id.

A message id's answer is kept for `ANSWER_TTL_SECONDS`. Most answers are the bot's
replies of that turn, which its transcript entries already hold (tagged with the turn's
id), so what is stored is a marker, `=<count>`, and a retry reads the replies back from
the transcript's tail. The marker of a customer's latest message lives in their user
hash (field `in`: `<count> <unix seconds> <message id>`), so a customer who wrote once
costs no key for it; the next message moves the previous marker to its own key
(`in:<message id>`, expiring when its week ends). An answer the transcript cannot give
back exactly (a named author, a transcript trimmed to a few entries, an id too long for
the hash's compact encoding) is stored in full on its own key, as before.
"""

from __future__ import annotations

from redis.asyncio import Redis

from bot import fast_json
from bot.effects import Button, Reply
from bot.store.keys import Keys
from bot.store.transcript import Entry, stored_entry

# Telegram retries a webhook for up to a day; a week covers every client we know.
ANSWER_TTL_SECONDS = 7 * 24 * 3600
LATEST_FIELD = "in"
MAX_ID_IN_HASH = 40  # keeps the field under hash-max-listpack-value (64 bytes)
MIN_KEEP = 100  # a transcript trimmed shorter may have lost a week's replies
_PAGE = 50

# The marker of message ARGV id if it is the customer's latest and younger than ttl.
LATEST = """
local function latest(user, id, ttl)
  local last = redis.call('hget', user, 'in')
  if not last then return false end
  local n, at, known = string.match(last, '^(%d+) (%d+) (.*)$')
  if known ~= id or tonumber(at) + ttl <= tonumber(redis.call('time')[1]) then return false end
  return '=' .. n
end
"""
# A commit's `TANSWER user count id in-prefix ttl`: the new latest marker, the previous
# one moved to its own key for the rest of its week (same hash tag: same slot).
REMEMBER = """
local function remember(user, count, id, prefix, ttl)
  local now = tonumber(redis.call('time')[1])
  local last = redis.call('hget', user, 'in')
  if last then
    local n, at, known = string.match(last, '^(%d+) (%d+) (.*)$')
    local left = known and tonumber(at) + ttl - now or 0
    if known ~= id and left > 0 then redis.call('set', prefix .. known, '=' .. n, 'ex', left) end
  end
  redis.call('hset', user, 'in', count .. ' ' .. now .. ' ' .. id)
end
"""
_ANSWERED = (
    LATEST
    + """
local answer = redis.call('get', KEYS[1])
if answer then return answer end
return latest(KEYS[2], ARGV[1], tonumber(ARGV[2]))
"""
)

Command = tuple[str, ...]


def answer_command(keys: Keys, user_id: str, message_id: str, replies: list[Reply],
                   in_transcript: bool) -> Command:  # fmt: skip
    """The commit's write of a message id's answer."""
    if not in_transcript:
        whole = [r.to_dict() for r in replies]
        answer = fast_json.dumps(whole)
        return ("SET", keys.inbound(user_id, message_id), answer, "EX", str(ANSWER_TTL_SECONDS))
    count = str(len(replies))
    if len(message_id) > MAX_ID_IN_HASH:
        key = keys.inbound(user_id, message_id)
        return ("SET", key, "=" + count, "EX", str(ANSWER_TTL_SECONDS))
    prefix = keys.inbound(user_id, "")
    return ("TANSWER", keys.user(user_id), count, message_id, prefix, str(ANSWER_TTL_SECONDS))


def in_transcript(message_id: str, replies: list[Reply], entries: list[Entry], keep: int) -> bool:
    """Whether the transcript gives `replies` back exactly.

    That is: the turn's inbound entry, then one bot entry per reply, in a transcript kept
    long enough for a week of retries.
    """
    if 0 < keep < MIN_KEEP or any(r.author for r in replies):
        return False
    mine = [e for e in entries if e.turn == message_id]
    if [e.direction for e in mine] != ["in"] + ["out"] * len(replies):
        return False
    return all(
        e.author == "bot"
        and e.text == r.text
        and e.buttons == tuple({"title": b.title, "payload": b.payload} for b in r.buttons)
        for e, r in zip(mine[1:], replies, strict=True)
    )


class Answers:
    """Reads stored answers back."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._answered = redis.register_script(_ANSWERED)

    async def stored(self, user_id: str, message_id: str) -> str | None:
        """The stored answer of `message_id` (JSON or a marker), or None."""
        keys = [self._keys.inbound(user_id, message_id), self._keys.user(user_id)]
        found = await self._answered(keys=keys, args=[message_id, ANSWER_TTL_SECONDS])
        return str(found) if found else None

    async def replies(self, user_id: str, message_id: str, answer: str) -> list[Reply]:
        """The replies of a stored answer; a marker's are read from the transcript."""
        if not answer.startswith("="):
            return replies_of(answer)
        count = int(answer[1:])
        return await self._from_transcript(user_id, message_id) if count else []

    async def _from_transcript(self, user_id: str, turn: str) -> list[Reply]:
        """The bot's replies of `turn`: its entries after its inbound one, newest first read."""
        key, end = self._keys.transcript_list(user_id), -1
        found: list[Reply] = []
        while True:
            page = await self._redis.lrange(key, end - _PAGE + 1, end)  # type: ignore[misc]
            for raw in reversed(page):
                entry = stored_entry(raw)
                if entry.get("turn") != turn:
                    continue
                if entry["dir"] == "in":
                    return found[::-1]
                found.append(_reply(entry))
            if len(page) < _PAGE:
                return found[::-1]  # trimmed or erased: what is left
            end -= _PAGE


def replies_of(raw: str) -> list[Reply]:
    """The replies of an answer stored in full."""
    return [Reply.from_dict(item) for item in fast_json.loads(raw)]


def _reply(entry: dict[str, object]) -> Reply:
    buttons = entry.get("buttons") or []
    assert isinstance(buttons, list)
    return Reply(str(entry["text"]), tuple(Button(b["title"], b["payload"]) for b in buttons))
