"""Running a component plugin's module in plain CPython, as the host would call it: a fresh
import per plugin instance, its manifest's configuration (with a case's changes), a log, and a
key-value store in memory; and requests built from the conformance vectors' format."""

import base64
import importlib.util
import sys
from contextlib import contextmanager

import pytest

from mockforge_plugin import AuthPlugin, Identity, Request, ResponsePlugin, _served
from mockforge_plugin.memory_kv import MemoryKv
from tests.conftest import ROOT

tomllib = pytest.importorskip("tomllib")


def manifest_config(name, plugins="plugins"):
    """The manifest's `[config]` as the host passes it: text; booleans as `true`/`false`."""
    manifest = tomllib.loads((ROOT / plugins / name / "plugin.toml").read_text())
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in manifest.get("config", {}).items()}


def fresh_plugin(name):
    """A new instance of the plugin class `plugins/<name>/plugin.py` registers, from a fresh
    import of its modules (module state, such as a cache of the settings, starts empty, as in
    a new component instance)."""
    folder = ROOT / "plugins" / name
    for sibling in folder.glob("*.py"):
        sys.modules.pop(sibling.stem, None)
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location(f"component_{name.replace('-', '_')}", folder / "plugin.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    [cls] = [c for c in vars(module).values()
             if isinstance(c, type) and issubclass(c, (AuthPlugin, ResponsePlugin)) and c.__module__ == spec.name]
    return cls()


def configured(base, changes):
    """`base` with a case's `config` changes: a string sets a key, `None` removes it."""
    settings = dict(base)
    for key, value in (changes or {}).items():
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    return settings


@contextmanager
def hosted(settings, store=None, records=None):
    """While inside, `config`, `log` and `kv` are the given configuration, a list collecting
    (level, message, fields) and `store` (a new `MemoryKv` when `None`)."""
    log = (lambda *record: records.append(record)) if records is not None else (lambda *record: None)
    token = _served.current.set(_served.Served(settings, log, store if store is not None else MemoryKv()))
    try:
        yield
    finally:
        _served.current.reset(token)


def body_of(spec):
    """The bytes of a vector's `body`, `body_base64` or `body_repeat`."""
    if "body_base64" in spec:
        return base64.b64decode(spec["body_base64"])
    if "body_repeat" in spec:
        return bytes([spec["body_repeat"]["byte"]]) * spec["body_repeat"]["count"]
    return spec.get("body", "").encode()


def request_of(spec):
    """The `Request` a vector's `request` describes (format 0.2: with `id`, `route`,
    `path_params` and `identity` when given)."""
    identity = spec.get("identity")
    if identity is not None:
        identity = Identity(identity["subject"], identity.get("username"), identity.get("email"),
                            identity.get("display_name"), identity.get("roles", []), identity.get("groups", []),
                            identity.get("claims", {}))
    return Request(spec["method"], spec["path"], spec.get("query", ""), [tuple(h) for h in spec.get("headers", [])],
                   body_of(spec), spec.get("client_addr"), id=spec.get("id", ""), route=spec.get("route"),
                   path_params=[tuple(p) for p in spec.get("path_params", [])], identity=identity)
