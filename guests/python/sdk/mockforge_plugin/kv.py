"""A key-value store private to the plugin, kept by the host (the WIT ``kv`` import): every
instance of the plugin sees the same store, no other plugin sees it, and it lives as long as
the plugin is loaded. Values are bytes; a ``str`` given to :func:`set` is stored as UTF-8.

    count = kv.increment("visits")                 # 1, 2, ... (atomic)
    kv.set("session:42", b"...", ttl_ms=60_000)    # expires in a minute
    kv.get("session:42")                           # the bytes, or None
    kv.keys("session:")                            # sorted

A write the host refuses raises a :class:`KvError`: :class:`InvalidKey`,
:class:`ValueTooLarge`, :class:`QuotaExceeded` or :class:`NotANumber`. Served over HTTP
(``mockforge_plugin.remote``) the store is the serving app's own, in the server's memory.
"""

from typing import List, Optional, Union

from . import _bindings, _served

#: What :func:`keys` returns at most by default: every key.
ALL = 0xFFFF_FFFF


class KvError(Exception):
    """Why the store refused a write; ``message`` is its text (it names the cap passed)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidKey(KvError):
    """The key is empty or longer than the plugin's key cap."""


class ValueTooLarge(KvError):
    """The value is longer than the plugin's value cap."""


class QuotaExceeded(KvError):
    """Storing the value would pass the plugin's cap on keys or total bytes."""


class NotANumber(KvError):
    """:func:`increment` found a value that is not a decimal 64-bit integer, or the sum
    overflows."""


def get(key: str) -> Optional[bytes]:
    """The value of ``key``; ``None`` when it is absent or has expired."""
    wit = _bindings.kv
    if wit is not None:
        return wit.get(key)
    return _served.require("kv").kv.get(key)


def set(key: str, value: Union[bytes, str], ttl_ms: Optional[int] = None) -> None:
    """Store ``value`` under ``key``, replacing any value; it expires after ``ttl_ms``
    milliseconds when given, never otherwise."""
    data = value.encode() if isinstance(value, str) else bytes(value)
    wit = _bindings.kv
    if wit is not None:
        try:
            wit.set(key, data, ttl_ms)
        except _bindings.Err as e:
            raise _kv_error(e.value) from None
        return
    _served.require("kv").kv.set(key, data, ttl_ms)


def delete(key: str) -> bool:
    """Remove ``key``; whether it was there."""
    wit = _bindings.kv
    if wit is not None:
        return wit.delete(key)
    return _served.require("kv").kv.delete(key)


def increment(key: str, delta: int = 1) -> int:
    """Add ``delta`` to the decimal integer stored under ``key`` (0 when absent) atomically,
    store the sum and return it. The key keeps its time to live."""
    wit = _bindings.kv
    if wit is not None:
        try:
            return wit.increment(key, delta)
        except _bindings.Err as e:
            raise _kv_error(e.value) from None
    return _served.require("kv").kv.increment(key, delta)


def keys(prefix: str = "", limit: int = ALL) -> List[str]:
    """The live keys that start with ``prefix``, sorted, at most ``limit`` of them."""
    wit = _bindings.kv
    if wit is not None:
        return wit.keys(prefix, limit)
    return _served.require("kv").kv.keys(prefix, limit)


def _kv_error(value) -> KvError:
    """The exception of a `kv-error` case."""
    wit = _bindings.kv
    cases = (
        (wit.KvError_InvalidKey, InvalidKey),
        (wit.KvError_ValueTooLarge, ValueTooLarge),
        (wit.KvError_QuotaExceeded, QuotaExceeded),
        (wit.KvError_NotANumber, NotANumber),
    )
    for case, error in cases:
        if isinstance(value, case):
            return error(value.value)
    return KvError(repr(value))
