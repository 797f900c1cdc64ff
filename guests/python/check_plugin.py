"""Check a Python plugin's registration before componentize-py builds it.

    usage: python check_plugin.py PLUGIN_DIR KIND [SDK_DIR]

Imports ``PLUGIN_DIR/plugin.py`` in plain CPython with the SDK in ``SDK_DIR`` (default:
``sdk/`` beside this file; ``build.sh`` passes ``sdk-0.1/`` for the frozen 0.1 plugins), which
runs without the component's bindings, and checks that it registers, with ``@register``, a class
of the kinds its manifest promises. Each mistake is one sentence that says what to add or change; componentize-py would
report it later and cryptically (``module 'plugin' has no attribute 'Auth'``, or a call-time
``NotImplementedError``). Exits 1 on a mistake.
"""

import importlib
import inspect
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEEDS = {"auth": ("Auth",), "response": ("Responder",), "both": ("Auth", "Responder")}
BASE = {"Auth": "AuthPlugin", "Responder": "ResponsePlugin"}
A = {"AuthPlugin": "an AuthPlugin", "ResponsePlugin": "a ResponsePlugin"}


def main() -> int:
    plugin_dir, kind = Path(sys.argv[1]).resolve(), sys.argv[2]
    sdk_dir = Path(sys.argv[3]).resolve() if len(sys.argv) > 3 else HERE / "sdk"
    name = plugin_dir.name
    if not (plugin_dir / "plugin.py").is_file():
        return fail(name, f"no plugin.py in {plugin_dir}")
    sys.path[:0] = [str(plugin_dir), str(sdk_dir)]
    try:
        module = importlib.import_module("plugin")
    except TypeError as e:
        if str(e).startswith("@register"):
            return fail(name, f"plugin.py: {e}")
        return import_failed(name)
    except Exception:
        return import_failed(name)

    import mockforge_plugin

    for export in NEEDS.get(kind, ()):
        if hasattr(module, export):
            continue
        base = getattr(mockforge_plugin, BASE[export])
        candidates = [
            cls.__name__
            for cls in vars(module).values()
            if inspect.isclass(cls) and issubclass(cls, base) and cls is not base
        ]
        if candidates:
            return fail(
                name,
                f"plugin.py defines {candidates[0]} ({BASE[export]}) but does not register it: "
                f"put @register on the line above `class {candidates[0]}`",
            )
        other = [e for e in ("Auth", "Responder") if hasattr(module, e)]
        if other:
            registered = BASE[other[0]]
            right = "auth" if other[0] == "Auth" else "response"
            return fail(
                name,
                f'plugin.toml says kind = "{kind}" but plugin.py registers {A[registered]}: '
                f'set kind = "{right}", or register {A[BASE[export]]}',
            )
        return fail(
            name,
            f'plugin.toml says kind = "{kind}" but plugin.py registers no {BASE[export]}: '
            f"define `@register class MyPlugin({BASE[export]})` in plugin.py",
        )
    return 0


def import_failed(name: str) -> int:
    traceback.print_exc()
    return fail(name, "importing plugin.py failed (the traceback is above)")


def fail(name: str, message: str) -> int:
    print(f"error: plugin '{name}': {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
