"""The plugin's own configuration, as text: the ``[config]`` table of its manifest in a
component; what the remote server was given (by default ``MOCKFORGE_CONFIG_*`` variables)
when served over HTTP.

    secret = config.require("secret")
    leeway = config.uint("leeway-seconds") or 0
"""

from typing import List, Optional

from . import _bindings, _served, text
from .errors import InvalidConfig


def get(key: str) -> Optional[str]:
    """The value of ``key``, or ``None`` when it is not set."""
    if _bindings.config is not None:
        return _bindings.config.get(key)
    return _served.require("config").config.get(key)


def keys() -> List[str]:
    """Every key that is set, sorted."""
    if _bindings.config is not None:
        return _bindings.config.keys()
    return sorted(_served.require("config").config)


def require(key: str) -> str:
    """The value of ``key``; :class:`InvalidConfig` naming the key when it is not set."""
    value = get(key)
    if value is None:
        raise InvalidConfig(f"missing config key `{key}`")
    return value


def uint(key: str, bits: int = 64) -> Optional[int]:
    """The value of ``key`` as an unsigned integer of ``bits`` bits, ``None`` when it is not
    set, or :class:`InvalidConfig` naming the key and value when it does not parse.

    Surrounding white space is ignored. Parsing and messages are those of the Rust SDK's
    ``config::parse::<uN>``, so that a plugin behaves the same in either language.
    """
    value = get(key)
    if value is None:
        return None
    parsed = text.parse_uint(text.trim(value), bits)
    if isinstance(parsed, str):
        raise InvalidConfig(f"config key `{key}` = {text.debug_str(value)}: {parsed}")
    return parsed
