"""The store :mod:`mockforge_plugin.kv` uses when a plugin runs in plain Python (served over
HTTP, or in a test): a dict in the process's memory with the host's semantics (times to live,
atomic decimal counters, sorted prefix listing), one per serving app."""

import threading
import time
from typing import Dict, List, Optional, Tuple

from .kv import InvalidKey, NotANumber

_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1


class MemoryKv:
    """A key-value store in memory. Thread-safe: one lock around every operation."""

    def __init__(self, clock=time.monotonic):
        # key -> (value, expiry on `clock` in seconds, or None)
        self._items: Dict[str, Tuple[bytes, Optional[float]]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(self, key: str) -> Optional[bytes]:
        """The value of ``key``; ``None`` when absent or expired."""
        with self._lock:
            item = self._live(key)
            return None if item is None else item[0]

    def set(self, key: str, value: bytes, ttl_ms: Optional[int]) -> None:
        """Store ``value`` under ``key``, to expire after ``ttl_ms`` milliseconds when given."""
        _check_key(key)
        expiry = None if ttl_ms is None else self._clock() + ttl_ms / 1000
        with self._lock:
            self._items[key] = (bytes(value), expiry)

    def delete(self, key: str) -> bool:
        """Remove ``key``; whether it was there (and live)."""
        with self._lock:
            live = self._live(key) is not None
            self._items.pop(key, None)
            return live

    def increment(self, key: str, delta: int) -> int:
        """Add ``delta`` to the decimal integer under ``key`` (0 when absent), keeping its
        time to live; the sum."""
        _check_key(key)
        with self._lock:
            item = self._live(key)
            value, expiry = item if item is not None else (b"0", None)
            try:
                text = value.decode("ascii")
                if not text.lstrip("-").isdigit():
                    raise ValueError(text)
                current = int(text)
            except ValueError:
                raise NotANumber(f"the value of `{key}` is not a decimal integer") from None
            total = current + delta
            if not (_I64_MIN <= current <= _I64_MAX and _I64_MIN <= total <= _I64_MAX):
                raise NotANumber(f"`{key}` + {delta} is outside a 64-bit integer")
            self._items[key] = (str(total).encode(), expiry)
            return total

    def keys(self, prefix: str, limit: int) -> List[str]:
        """The live keys starting with ``prefix``, sorted, at most ``limit``."""
        with self._lock:
            live = [k for k in list(self._items) if k.startswith(prefix) and self._live(k) is not None]
        return sorted(live)[:limit]

    def _live(self, key: str) -> Optional[Tuple[bytes, Optional[float]]]:
        item = self._items.get(key)
        if item is not None and item[1] is not None and item[1] <= self._clock():
            del self._items[key]
            return None
        return item


def _check_key(key: str) -> None:
    if not key:
        raise InvalidKey("a key is not empty")
