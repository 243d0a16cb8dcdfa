"""Two ``ilc serve`` replicas on one PostgreSQL behind nginx (deploy/replicas/nginx.conf),
driven in headless Chromium on loopback: pages stick to a replica by cookie, an entry saved
through one replica shows live on the other, and a stopped replica loses nothing saved."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ilc_widgets.network import open_network
from tests._forms import log_entry
from tests.conftest import Served, start_ilc_serve, stop_served

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "replicas" / "nginx.conf"
ARTIFACTS = ROOT / "test-artifacts"
CODE = "literacy-1"
NOTEBOOK = "04_collect_evidence.ipynb"


def render_config(template: str, *, port: int, replicas: list[int]) -> str:
    """The template with this test's listening port and replicas, run in the foreground."""
    text = re.sub(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{port};", template)
    servers = "".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in replicas
    )
    text, n = re.subn(
        r"(# replicas begin[^\n]*\n).*?(\s*# replicas end)",
        lambda m: m.group(1) + servers.rstrip("\n") + m.group(2),
        text,
        flags=re.S,
    )
    assert n == 1
    return text.replace("# daemon off;", "daemon off;")


def test_render_config_replaces_port_and_replicas():
    text = render_config(TEMPLATE.read_text(), port=1234, replicas=[5, 6, 7])
    assert "listen 127.0.0.1:1234;" in text and "8080" not in text
    assert re.findall(r"server 127\.0\.0\.1:(\d+) ", text) == ["5", "6", "7"]
    assert re.search(r"^daemon off;", text, re.M)


@dataclass
class Proxy:
    """nginx on ``base`` in front of two replicas."""

    base: str
    database: str
    replicas: list[Served]
    process: subprocess.Popen[bytes]
    prefix: Path

    def port_of(self, index: int) -> str:
        return self.replicas[index].base_url.rstrip("/").rsplit(":", 1)[1]

    def url(self, served_url: str) -> str:
        """A link printed by a replica, through nginx instead."""
        return re.sub(r"^http://127\.0\.0\.1:\d+/", self.base, served_url)


def _nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )


@pytest.fixture(scope="module")
def proxy(pg_server: Any) -> Iterator[Proxy]:
    """A demo network in PostgreSQL, two replicas and nginx; all stopped at the end."""
    from ilc_widgets.demo import load_demo
    from ilc_widgets.serve import free_port, wait_for_port

    nginx = _nginx()
    if nginx is None:
        if os.environ.get("ILC_REQUIRE_SERVICES") == "1":
            pytest.fail("nginx is required (ILC_REQUIRE_SERVICES=1) but not installed")
        pytest.skip("nginx not installed")
    url = pg_server.new_database()
    load_demo(url).close()
    replicas: list[Served] = []
    prefix = Path(tempfile.mkdtemp(prefix="ilc-nginx-"))
    process = None
    try:
        replicas = [start_ilc_serve(url), start_ilc_serve(url)]
        prefix.chmod(0o755)
        (prefix / "logs").mkdir()
        (prefix / "tmp").mkdir(mode=0o777)
        port = free_port()
        ports = [int(s.base_url.rstrip("/").rsplit(":", 1)[1]) for s in replicas]
        conf = prefix / "nginx.conf"
        conf.write_text(render_config(TEMPLATE.read_text(), port=port, replicas=ports))
        check = subprocess.run(
            [nginx, "-t", "-p", f"{prefix}/", "-c", str(conf)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen(
            [nginx, "-p", f"{prefix}/", "-c", str(conf)], stderr=subprocess.DEVNULL
        )
        wait_for_port("127.0.0.1", port, 30, process)  # type: ignore[arg-type]
        yield Proxy(f"http://127.0.0.1:{port}/", url, replicas, process, prefix)
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful: finish open requests, then exit
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for served in replicas:
            if served.process.poll() is None:
                stop_served(served)
        error_log = prefix / "logs" / "error.log"
        if error_log.exists():
            shutil.copyfile(error_log, ARTIFACTS / "replicas-nginx-error.log")
        shutil.rmtree(prefix, ignore_errors=True)


def _replica_for(proxy: Proxy, cookie: str) -> str:
    request = urllib.request.Request(proxy.base, headers={"Cookie": f"ilc_replica={cookie}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(response.headers["X-ILC-Replica"]).rsplit(":", 1)[1]


def _cookies_per_replica(proxy: Proxy) -> list[str]:
    """A replica cookie that nginx routes to each replica (the hash decides which)."""
    found: dict[str, str] = {}
    for i in range(200):
        value = f"probe-{i}"
        found.setdefault(_replica_for(proxy, value), value)
        if len(found) == len(proxy.replicas):
            break
    return [found[proxy.port_of(i)] for i in range(len(proxy.replicas))]


def _ready(page: Any) -> None:
    page.wait_for_selector("button.ilc-ev-add", state="visible")
    page.wait_for_selector(".ilc-log-timeline", state="attached")


def _log_entry(page: Any, description: str) -> float:
    """Add an evidence entry and wait until it is saved; the time of the click."""
    clicked = log_entry(page, "Perceptions", description, value="71")
    # saved: the entry is in the page's own log (the "Added" notice may be an earlier one's)
    page.wait_for_selector(f".ilc-ev-row:has-text('{description}')", state="attached")
    return clicked


def test_first_response_sets_the_replica_cookie_and_it_sticks(proxy):
    with urllib.request.urlopen(proxy.base, timeout=30) as response:
        cookie = next(c for c in response.headers.get_all("Set-Cookie") if "ilc_replica" in c)
        first = response.headers["X-ILC-Replica"]
    value = re.match(r"ilc_replica=([^;]+);", cookie)
    assert value is not None and "HttpOnly" in cookie
    again = {_replica_for(proxy, value.group(1)) for _ in range(5)}
    assert again == {first.rsplit(":", 1)[1]}
    request = urllib.request.Request(proxy.base, headers={"Cookie": f"ilc_replica={value[1]}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        assert not [c for c in cookies if "ilc_replica" in c]  # a browser with one keeps it


def test_entry_through_one_replica_shows_on_the_other_and_survives_its_stop(proxy, browser):
    net = open_network(proxy.database)
    link = proxy.url(proxy.replicas[0].collectives[CODE]).replace("00_home.ipynb", NOTEBOOK)
    cookies = _cookies_per_replica(proxy)
    contexts = []
    for value in cookies:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "ilc_replica", "value": value, "url": proxy.base}])
        context.set_default_timeout(90_000)
        contexts.append(context)
    try:
        writer, reader = (c.new_page() for c in contexts)
        for index, page in enumerate((writer, reader)):
            response = page.goto(link)
            assert response.headers["x-ilc-replica"].endswith(f":{proxy.port_of(index)}")
            _ready(page)

        # saved through replica 1, shown live by replica 2's page
        first = f"Replica entry {time.time():.0f}"
        clicked = _log_entry(writer, first)
        reader.wait_for_selector(f".ilc-ev-row:has-text('{first}')", timeout=30_000)
        live = time.monotonic() - clicked

        # more work saved on replica 1, then replica 1 stops mid-session
        second = f"Saved before the stop {time.time():.0f}"
        _log_entry(writer, second)
        stop_served(proxy.replicas[0])
        assert proxy.replicas[0].process.poll() is not None
        started = time.monotonic()
        response = writer.reload()
        _ready(writer)
        writer.wait_for_selector(f".ilc-ev-row:has-text('{second}')", state="attached")
        reload_s = time.monotonic() - started
        assert response.headers["x-ilc-replica"].endswith(f":{proxy.port_of(1)}")
        assert writer.locator(f".ilc-ev-row:has-text('{first}')").count() >= 1

        # and the reloaded page works: a new entry is saved through replica 2
        third = f"After the stop {time.time():.0f}"
        _log_entry(writer, third)
        reader.wait_for_selector(f".ilc-ev-row:has-text('{third}')", timeout=30_000)
        frame = net.evidence_frame(CODE)
        for description in (first, second, third):
            assert (frame["description"] == description).sum() == 1
        writer.screenshot(path=str(ARTIFACTS / "replicas-after-stop.png"))
        figures = (
            f"entry added through replica 1 shown on replica 2's page: {live:.2f} s "
            "(from the click on Add)\n"
            f"reload after replica 1 stopped (page ready on replica 2): {reload_s:.2f} s\n"
        )
        print("\n" + figures, end="")
        (ARTIFACTS / "replicas-figures.txt").write_text(figures)
    finally:
        for c in contexts:
            c.close()
