"""Keys stay secret: server logs, XSRF, the network file's mode, and ``ILC_SECRET``."""

from __future__ import annotations

import http.cookiejar
import logging
import os
import re
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from ilc_widgets import db
from ilc_widgets._voila_launch import log_request, scrub
from ilc_widgets.access import access_query, verify
from ilc_widgets.cli import main
from ilc_widgets.errors import IlcError
from ilc_widgets.links import network_links
from ilc_widgets.network import ENV_SECRET, create_network
from ilc_widgets.serve import free_port

ENV_VALUE = "env-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PLANTED = "SECRETKEY123"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------------- file mode


def test_a_network_file_the_kit_creates_is_for_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_SECRET, raising=False)
    folder = tmp_path / "new-folder"
    path = folder / "net.sqlite"
    net = create_network(path, "Private")
    with db.transaction(net.engine, write=False):  # an open connection keeps -wal and -shm
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert _mode(path) == 0o600 and _mode(wal) == 0o600 and _mode(shm) == 0o600
    assert _mode(folder) == 0o700  # the kit made the folder
    net.close()


def test_the_demo_file_is_for_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    path = tmp_path / "demo.sqlite"
    assert main(["--database", str(path), "demo"]) == 0
    assert _mode(path) == 0o600


# ---------------------------------------------------------------------- ILC_SECRET


@pytest.fixture
def net(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_SECRET, raising=False)
    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    network = create_network(tmp_path / "net.sqlite", "Env network")
    network.create_collective("north-1", "North 1", actor="t")
    yield network
    network.close()


def test_links_are_signed_with_ilc_secret_when_set(net, monkeypatch):
    stored = net.secret
    monkeypatch.setenv(ENV_SECRET, ENV_VALUE)
    assert net.secret == ENV_VALUE and net.secret_source == ENV_SECRET
    links = {link.collective: link.url for link in network_links(net, "http://h/")}
    query = links["north-1"].split("?", 1)[1]
    assert query == access_query(ENV_VALUE, collective="north-1")
    assert query != access_query(stored, collective="north-1")
    # a link signed with the stored secret no longer verifies
    params = dict(p.split("=", 1) for p in access_query(stored, collective="north-1").split("&"))
    assert not verify(net.secret, params).allowed
    monkeypatch.delenv(ENV_SECRET)
    assert net.secret == stored and net.secret_source == "database"


def test_a_session_verifies_links_with_ilc_secret(net, monkeypatch):
    from ilc_widgets.session import get_context

    monkeypatch.setenv(ENV_SECRET, ENV_VALUE)
    voila = {"ILC_SERVE": "1"}
    ok = get_context(
        net.url, query_string=access_query(ENV_VALUE, role="facilitator"), environ=voila
    )
    assert ok.role == "facilitator"
    monkeypatch.delenv(ENV_SECRET)
    stored_link = access_query(net.secret, role="facilitator")
    monkeypatch.setenv(ENV_SECRET, ENV_VALUE)
    assert get_context(net.url, query_string=stored_link, environ=voila).role == "denied"


def test_rotate_is_refused_while_ilc_secret_is_set(net, monkeypatch, capsys):
    stored = net.secret
    monkeypatch.setenv(ENV_SECRET, ENV_VALUE)
    code = main(["--database", net.url, "links", "--rotate"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("ilc: error:") and ENV_SECRET in err
    assert len(err.strip().splitlines()) == 1
    monkeypatch.delenv(ENV_SECRET)
    assert net.secret == stored  # nothing rotated


def test_links_say_where_the_secret_comes_from(net, monkeypatch, capsys):
    monkeypatch.setenv(ENV_SECRET, ENV_VALUE)
    assert main(["--database", net.url, "links"]) == 0
    out, err = capsys.readouterr()
    assert access_query(ENV_VALUE, collective="north-1") in out
    assert ENV_SECRET in err and ENV_VALUE not in err


def test_a_short_ilc_secret_is_refused(net, monkeypatch, capsys):
    monkeypatch.setenv(ENV_SECRET, "short")
    with pytest.raises(IlcError, match="at least 32"):
        _ = net.secret
    assert main(["--database", net.url, "links"]) == 1
    assert "ILC_SECRET is too short" in capsys.readouterr().err


# ---------------------------------------------------------------------- the access log


def test_scrub_blanks_keys_tokens_and_xsrf_values():
    line = "GET /voila/render/a.ipynb?collective=x&key=ABC123&token=T0K&_xsrf=XS (1.2.3.4)"
    assert scrub(line) == (
        "GET /voila/render/a.ipynb?collective=x&key=[secret]&token=[secret]&_xsrf=[secret] "
        "(1.2.3.4)"
    )


@pytest.mark.parametrize("status", [200, 302, 403, 404, 500])
def test_the_access_log_names_the_path_only(caplog, status):
    request = SimpleNamespace(
        method="GET",
        path="/voila/render/00_home.ipynb",
        uri=f"/voila/render/00_home.ipynb?collective=x&key={PLANTED}",
        remote_ip="127.0.0.1",
        request_time=lambda: 0.01,
    )
    handler = SimpleNamespace(get_status=lambda: status, request=request)
    with caplog.at_level(logging.DEBUG, logger="tornado.access"):
        log_request(handler)
    assert len(caplog.records) == 1
    text = caplog.text
    assert f"{status} GET /voila/render/00_home.ipynb (127.0.0.1)" in text
    assert PLANTED not in text and "collective=" not in text


def _get(url: str, method: str = "GET") -> int:
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _serve(database: Path, log: Path) -> tuple[subprocess.Popen[str], int, list[str]]:
    """``ilc serve`` on a free port, its stderr (the server log) into ``log``."""
    port = free_port()
    cmd = [sys.executable, "-m", "ilc_widgets.cli", "--database", str(database), "serve"]
    cmd += ["--port", str(port), "--no-browser", "--no-preheat"]
    env = {k: v for k, v in os.environ.items() if k not in ("ILC_DATABASE_URL", ENV_SECRET)}
    with log.open("w") as stderr:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            assert proc.poll() is None, f"ilc serve stopped: {''.join(lines)}"
            continue
        lines.append(line)
        if len(lines) > 1 and "Intake form" in lines[-2]:
            break
    urls = [line.strip() for line in lines if line.strip().startswith("http")]
    return proc, port, urls


@pytest.mark.slow
def test_ilc_serve_logs_no_keys_and_checks_xsrf(tmp_path, monkeypatch):
    from ilc_widgets.demo import load_demo

    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    path = tmp_path / "demo.sqlite"
    load_demo(path).close()
    log = tmp_path / "server.log"
    proc, port, urls = _serve(path, log)
    try:
        root = f"http://127.0.0.1:{port}"
        facilitator = next(u for u in urls if "role=facilitator" in u)
        real_key = facilitator.rsplit("key=", 1)[1]
        planted = f"collective=x&key={PLANTED}"
        assert _get(f"{root}/voila/render/nope.ipynb?{planted}") == 404
        assert _get(f"{root}/voila/render/00_home.ipynb?{planted}") == 200  # "not valid"
        assert _get(facilitator) == 200
        # XSRF checking is on: a POST without the _xsrf cookie and field is refused ...
        assert _get(f"{root}/voila/api/shutdown/some-kernel?{planted}", "POST") == 403
        # ... and the page's own shutdown beacon (cookie value as form field) still works
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with browser.open(facilitator, timeout=120) as response:
            page = response.read().decode("utf-8")
        found = re.search(r'"kernelId": "([0-9a-f-]+)"', page)
        assert found is not None
        kernel = found.group(1)
        xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
        beacon = urllib.request.Request(
            f"{root}/voila/api/shutdown/{kernel}",
            data=urllib.parse.urlencode({"_xsrf": xsrf}).encode(),
            method="POST",
        )
        with browser.open(beacon, timeout=120) as response:
            assert response.status == 204
        assert _get(f"{root}/api/kernels/{kernel}") == 404  # the kernel was shut down
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    text = log.read_text(encoding="utf-8")
    assert "404 GET /voila/render/nope.ipynb (127.0.0.1)" in text  # the log was captured
    assert "403 POST /voila/api/shutdown/some-kernel (127.0.0.1)" in text
    assert "_xsrf" in text
    assert PLANTED not in text and real_key not in text
