import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "remote-examples"
# This checkout's SDK, whichever copy an environment has installed (an editable install may
# point at another checkout).
sys.path.insert(0, str(ROOT / "sdk"))
# The examples are plain modules, as uvicorn loads them (`--app-dir remote-examples`).
sys.path.insert(0, str(EXAMPLES))
os.environ.setdefault("MOCKFORGE_PLUGIN_SECRET", "test-secret")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def introspection_stub():
    """A real introspection endpoint (remote-examples/introspection_stub.py) on a free port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "introspection_stub.py"), "--port", str(port),
         "--client-id", "mockforge", "--client-secret", "s3cret"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert "introspection stub" in proc.stdout.readline()
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait()
