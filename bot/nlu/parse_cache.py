"""A bounded least-recently-used cache of parses, keyed by model and normalised text."""

from __future__ import annotations

from collections import OrderedDict

from bot.nlu.parse import Parse

# (model fingerprint, normalised text): a new model never serves an old model's parse.
CacheKey = tuple[str, str]


class ParseCache:
    """Keeps the `max_size` most recently used parses; `max_size` 0 disables it."""

    def __init__(self, max_size: int) -> None:
        if max_size < 0:
            raise ValueError("max_size must not be negative")
        self.max_size = max_size
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[CacheKey, Parse] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> Parse | None:
        """Return the cached parse for `key` (marking it recently used), or None."""
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return found

    def put(self, key: CacheKey, parse: Parse) -> None:
        """Remember `parse`, evicting the least recently used entry when full."""
        if self.max_size == 0:
            return
        self._entries[key] = parse
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_size:
            self._entries.popitem(last=False)
