"""Shared fixtures: databases on both backends, the demo network, Voilà, headless Chromium.

Set ``ILC_REQUIRE_SERVICES=1`` (the test script does) to make a missing PostgreSQL or
Chromium an error instead of a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests._pg import PostgresServer, find_bindir

CHROMIUM = os.environ.get("ILC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE = os.environ.get("ILC_REQUIRE_SERVICES") == "1"
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="ilc-tests-"))
# Charts drawn by tests (and the servers they start) are kept here, not in the user's cache.
os.environ.setdefault("ILC_CHART_CACHE", str(_SESSION_DIR / "charts"))


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)


def _unavailable(what: str) -> None:
    if REQUIRE:
        pytest.fail(f"{what} is required (ILC_REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


# ---------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server started for this test session on 127.0.0.1."""
    bindir = find_bindir()
    if bindir is None:
        _unavailable("PostgreSQL (initdb/pg_ctl)")
    assert bindir is not None
    server = PostgresServer(bindir)
    try:
        server.start()
    except Exception as exc:  # pragma: no cover - depends on the machine
        server.stop()
        _unavailable(f"a PostgreSQL server ({exc})")
    yield server
    server.stop()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'network.sqlite'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture
def network(database_url: str) -> Iterator[Any]:
    """A new, empty network on each backend."""
    from ilc_widgets.network import create_network

    net = create_network(database_url, "Test network")
    yield net
    net.close()


@pytest.fixture
def demo_network(database_url: str) -> Iterator[Any]:
    """The demo network, on each backend."""
    from ilc_widgets.demo import load_demo

    net = load_demo(database_url)
    yield net
    net.close()


@pytest.fixture
def demo_sqlite(tmp_path: Path) -> Iterator[Any]:
    """The demo network in a SQLite file (for tests that need one backend only)."""
    from ilc_widgets.demo import load_demo

    net = load_demo(tmp_path / "demo.sqlite")
    yield net
    net.close()


# ---------------------------------------------------------------------- Voilà and Chromium


@dataclass
class Served:
    """A running ``ilc serve`` and the links it printed."""

    base_url: str
    database: str
    facilitator: str
    collectives: dict[str, str]
    intake: str
    process: subprocess.Popen[str]


def start_ilc_serve(database: str, *, preheat: bool = False) -> Served:
    """Run ``ilc serve`` on a free port and read the links it prints."""
    from ilc_widgets.serve import free_port

    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "ilc_widgets.cli",
        "--database",
        database,
        "serve",
        "--port",
        str(port),
        "--no-browser",
    ]
    if not preheat:
        cmd.append("--no-preheat")
    env = {k: v for k, v in os.environ.items() if k != "ILC_DATABASE_URL"}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    lines: list[str] = []
    deadline = time.monotonic() + 120
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                raise RuntimeError(f"ilc serve exited early: {''.join(lines)}")
            continue
        lines.append(line)
        if "Intake form" in "".join(lines[-2:-1]) and line.strip().startswith("http"):
            break
    text = "".join(lines)
    urls = re.findall(r"^\s+(http\S+)$", text, re.M)
    facilitator = next(u for u in urls if "role=facilitator" in u)
    intake = next(u for u in urls if "role=intake" in u)
    collectives = {
        m.group(1): u for u in urls if (m := re.search(r"collective=([\w-]+)", u)) is not None
    }
    return Served(f"http://127.0.0.1:{port}/", database, facilitator, collectives, intake, proc)


def stop_served(served: Served) -> None:
    """Stop ``ilc serve`` (and with it Voilà)."""
    served.process.send_signal(signal.SIGINT)
    try:
        served.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait(timeout=30)  # reaped, so poll() says it has stopped


@pytest.fixture(scope="session")
def served_demo() -> Iterator[Served]:
    """``ilc serve`` over a fresh demo network, shared by the browser tests."""
    from ilc_widgets.demo import load_demo

    path = _SESSION_DIR / "served-demo.sqlite"
    load_demo(path).close()
    served = start_ilc_serve(str(path), preheat=True)
    yield served
    stop_served(served)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (own context: no shared storage between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(90_000)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def served_fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``ilc serve`` (kernels on request) over this test module's own copy of the demo.

    Browser tests that change data use this, so modules never see each other's writes.
    """
    from ilc_widgets.demo import load_demo

    path = tmp_path_factory.mktemp("served") / "demo.sqlite"
    load_demo(path).close()
    served = start_ilc_serve(str(path), preheat=False)
    yield served
    stop_served(served)


@pytest.fixture
def ctx_for(demo_sqlite: Any) -> Any:
    """Build a session context on the demo network, as a link would grant it.

    ``ctx_for("participant", "literacy-1")``, ``ctx_for("facilitator")``,
    ``ctx_for("researcher")``, ``ctx_for("intake")``, ``ctx_for("denied")``.
    """
    from ilc_widgets.access import access_query
    from ilc_widgets.session import SessionContext

    def make(role: str = "participant", collective: str | None = "literacy-1") -> Any:
        net = demo_sqlite
        if role == "denied":
            return SessionContext("denied", reason="test")
        found = net.collective(collective) if role == "participant" and collective else None
        if role == "participant":
            query = access_query(net.secret, collective=collective)
        elif role in ("facilitator", "intake"):
            query = access_query(net.secret, role=role)
        else:
            query = ""
        return SessionContext(
            role,  # type: ignore[arg-type]
            network=net,
            collective=found,
            actor=f"{role}-tester",
            query=query,
        )

    return make
