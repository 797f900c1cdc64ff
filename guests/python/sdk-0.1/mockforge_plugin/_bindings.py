"""The bindings componentize-py generates from wit/, imported once.

They must be imported while the component is built: componentize-py snapshots the interpreter
after importing the plugin, and its build-time files are gone when the component runs. Outside
a build (a plugin served over HTTP, a unit test of a plugin's logic) they are absent and the
names below are ``None``; ``config`` and ``log`` then use ``_served``.
"""

try:
    from componentize_py_types import Err
    from wit_world.imports import config, log, types
except ImportError:
    Err = config = log = types = None

__all__ = ["Err", "config", "log", "types"]
