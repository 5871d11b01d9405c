"""The demo serves the pages users get: DEBUG off, Spanish error pages, static files served."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (localhost)
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_bin_demo_runs_without_debug_and_serves_static_files_itself() -> None:
    script = (ROOT / "bin" / "demo").read_text(encoding="utf-8")
    assert re.search(r'DEBUG="\$\{DEBUG:-false\}"', script)
    assert "runserver --insecure" in script


def test_the_demo_server_answers_an_unknown_page_with_the_spanish_404(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "registry.settings",
    }
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                status, page = _get(f"http://127.0.0.1:{port}/no-existe/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the demo server did not start")
        assert status == 404
        assert "Página no encontrada" in page
        assert "URLconf" not in page  # Django's debug page lists the URL patterns
        css_status, css = _get(f"http://127.0.0.1:{port}/static/registry/base.css")
        assert css_status == 200
        assert "body" in css
    finally:
        server.terminate()
        server.wait(timeout=10)
