"""Structured logging into the host's log, where each record is tagged with the plugin's name
(served over HTTP: Python's ``logging``, logger ``mockforge_plugin.<name>``).

    log.info("user looked up", id="42", cache="miss")
"""

from typing import List, Tuple

from . import _bindings, _served

TRACE, DEBUG, INFO, WARN, ERROR = range(5)


def log(level: int, message: str, fields: List[Tuple[str, str]] = ()) -> None:
    """Log ``message`` at ``level`` (``TRACE`` .. ``ERROR``) with (name, value) ``fields``."""
    fields = [(str(n), str(v)) for n, v in fields]
    wit = _bindings.log
    if wit is not None:
        wit.log(wit.Level(level), message, fields)
    else:
        _served.require("log").log(level, message, fields)


def trace(message: str, **fields: object) -> None:
    """Log at trace level; keyword arguments become fields, in order."""
    log(TRACE, message, fields.items())


def debug(message: str, **fields: object) -> None:
    """Log at debug level; keyword arguments become fields, in order."""
    log(DEBUG, message, fields.items())


def info(message: str, **fields: object) -> None:
    """Log at info level; keyword arguments become fields, in order."""
    log(INFO, message, fields.items())


def warn(message: str, **fields: object) -> None:
    """Log at warn level; keyword arguments become fields, in order."""
    log(WARN, message, fields.items())


def error(message: str, **fields: object) -> None:
    """Log at error level; keyword arguments become fields, in order."""
    log(ERROR, message, fields.items())
