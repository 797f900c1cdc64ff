"""Registration mistakes fail the build with a sentence that says what to change, instead of
building and failing at call time (`NotImplementedError`) or deep inside componentize-py
(`module 'plugin' has no attribute 'Auth'`). check_plugin.py is what build.sh runs."""

import subprocess
import sys
import textwrap

import pytest

from mockforge_plugin import AuthPlugin, ResponsePlugin, register
from tests.conftest import ROOT

HEADER = "from mockforge_plugin import AuthPlugin, ResponsePlugin, register\n"


def check(tmp_path, source, kind):
    plugin = tmp_path / "my-plugin"
    plugin.mkdir()
    (plugin / "plugin.py").write_text(HEADER + textwrap.dedent(source))
    done = subprocess.run(
        [sys.executable, str(ROOT / "check_plugin.py"), str(plugin), kind],
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


def test_a_correct_plugin_passes(tmp_path):
    status, err = check(
        tmp_path,
        """
        @register
        class Mine(AuthPlugin):
            def authenticate(self, req):
                return None
        """,
        "auth",
    )
    assert (status, err) == (0, "")


@pytest.mark.parametrize("plugins,sdk", [("plugins", "sdk"), ("plugins-0.1", "sdk-0.1")])
def test_every_example_plugin_passes(plugins, sdk):
    folders = sorted(p for p in (ROOT / plugins).iterdir() if p.is_dir())
    assert folders, plugins
    for plugin in folders:
        kind = next(
            line.split('"')[1]
            for line in (plugin / "plugin.toml").read_text().splitlines()
            if line.startswith("kind")
        )
        done = subprocess.run(
            [sys.executable, str(ROOT / "check_plugin.py"), str(plugin), kind, str(ROOT / sdk)]
        )
        assert done.returncode == 0, plugin.name


def test_a_misspelled_method_is_named_with_the_fix(tmp_path):
    status, err = check(
        tmp_path,
        """
        @register
        class Mine(AuthPlugin):
            def authenticat(self, req):
                return None
        """,
        "auth",
    )
    assert status == 1
    assert err == (
        "error: plugin 'my-plugin': plugin.py: @register: Mine defines authenticat() but "
        "AuthPlugin calls authenticate(): rename it to authenticate"
    )


def test_a_misspelled_optional_responder_method_is_caught_too(tmp_path):
    # `modify` alone is a valid plugin, so only the near miss shows that `respond` was meant.
    status, err = check(
        tmp_path,
        """
        @register
        class Mine(ResponsePlugin):
            def repsond(self, req):
                return None
            def modify(self, req, resp):
                return resp
        """,
        "response",
    )
    assert status == 1
    assert "Mine defines repsond() but ResponsePlugin calls respond(): rename it to respond" in err


def test_a_forgotten_register_says_where_to_put_it(tmp_path):
    status, err = check(
        tmp_path,
        """
        class Jwt(AuthPlugin):
            def authenticate(self, req):
                return None
        """,
        "auth",
    )
    assert status == 1
    assert err.endswith(
        "plugin.py defines Jwt (AuthPlugin) but does not register it: "
        "put @register on the line above `class Jwt`"
    )


def test_a_kind_that_does_not_match_the_class_names_both_fixes(tmp_path):
    status, err = check(
        tmp_path,
        """
        @register
        class Mine(AuthPlugin):
            def authenticate(self, req):
                return None
        """,
        "response",
    )
    assert status == 1
    assert err.endswith(
        'plugin.toml says kind = "response" but plugin.py registers an AuthPlugin: '
        'set kind = "auth", or register a ResponsePlugin'
    )


def test_a_module_that_does_not_import_shows_its_traceback(tmp_path):
    status, err = check(tmp_path, "import no_such_module\n", "auth")
    assert status == 1
    assert err == "error: plugin 'my-plugin': importing plugin.py failed (the traceback is above)"


def test_register_refuses_a_responder_that_overrides_nothing():
    class Idle(ResponsePlugin):
        pass

    with pytest.raises(TypeError, match="defines neither respond"):
        register(Idle)


def test_register_accepts_a_helper_whose_name_is_close_to_an_implemented_method():
    class Helpful(AuthPlugin):
        def authenticate(self, req):
            return None

        def authenticated(self):
            return True

    assert register(Helpful) is Helpful
