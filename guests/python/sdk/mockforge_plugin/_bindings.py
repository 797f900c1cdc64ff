"""The bindings componentize-py generates from ``wit/0.2.0``, imported once.

They must be imported while the component is built: componentize-py snapshots the interpreter
after importing the plugin, and its build-time files are gone when the component runs. Outside
a build (a plugin served over HTTP, a unit test of a plugin's logic) they are absent and the
names below are ``None``; ``config``, ``log``, ``crypto`` and ``kv`` then use ``_served``.
Nothing generated is committed: ``build.sh`` has componentize-py generate them from the WIT
folder it builds against.
"""

try:
    from componentize_py_types import Err
    from wit_world.imports import config, crypto, kv, log, types
except ImportError:
    Err = config = crypto = kv = log = types = None

__all__ = ["Err", "config", "crypto", "kv", "log", "types"]
