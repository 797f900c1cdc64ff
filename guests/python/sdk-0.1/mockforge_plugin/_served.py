"""What stands in for the host's ``config`` and ``log`` imports when a plugin runs in plain
Python: the remote server (``mockforge_plugin.remote``) sets the serving app's configuration
and log sink for the duration of each call. A context variable, not a global, so that several
apps in one process (tests do this) each see their own."""

from contextvars import ContextVar
from typing import Callable, List, Mapping, NamedTuple, Optional, Tuple


class Served(NamedTuple):
    """The host side of a plugin served over HTTP."""

    #: The plugin's configuration, as ``config.get`` returns it.
    config: Mapping[str, str]
    #: Receives each log record: level (``log.TRACE`` .. ``log.ERROR``), message, fields.
    log: Callable[[int, str, List[Tuple[str, str]]], None]


current: "ContextVar[Optional[Served]]" = ContextVar("mockforge_plugin_served", default=None)


def require(what: str) -> Served:
    """The plugin's host outside a component, or a ``RuntimeError`` saying how to get one."""
    served = current.get()
    if served is None:
        raise RuntimeError(
            f"mockforge_plugin.{what} has no host: build the plugin into a component, or serve it "
            "with mockforge_plugin.remote (which sets it during each call)"
        )
    return served
