"""The kit under JupyterHub: the role split, sign-in, and deploy/jupyterhub/try-locally.sh
driven in headless Chromium (members land on their collective and reach nothing but Voilà
pages; facilitators see every collective and get JupyterLab)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ilc_widgets.network import open_network
from tests._aio import run_isolated
from tests._forms import log_entry

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "jupyterhub"
ARTIFACTS = ROOT / "test-artifacts"


# ---------------------------------------------------------------------- the role split


def _people(net: Any, *, member: bool) -> str:
    """The email of the first participant in a collective (or in none)."""
    people = net.participants
    in_collective = people["collective"].fillna("") != ""
    return str(people[in_collective if member else ~in_collective].iloc[0]["email"])


def test_facilitators_and_researchers_get_lab_everyone_else_voila(demo_sqlite):
    from ilc_widgets.hub import server_kind, single_user_command

    url = demo_sqlite.url
    member = _people(demo_sqlite, member=True)
    leader = demo_sqlite.collective_list()[0].facilitator_email
    assert server_kind(member, url) == "voila"
    assert server_kind(leader, url) == "voila"  # a collective's facilitator: its pages only
    demo_sqlite.update_settings(actor="test", facilitators=[leader.upper()])
    assert server_kind(f" {leader} ", url) == "lab"
    assert server_kind("Analyst@Uni.example", url, ["analyst@uni.example"]) == "lab"
    assert server_kind(member, url, ["analyst@uni.example"]) == "voila"
    assert single_user_command("voila", "py") == ["py", "-m", "ilc_widgets.hub_server", "voila"]


def test_pre_spawn_hook_sets_the_command_and_fails_closed(demo_sqlite, tmp_path):
    import logging
    from types import SimpleNamespace

    from ilc_widgets.hub import LAB_DEFAULT_URL, VOILA_DEFAULT_URL, make_pre_spawn_hook

    leader = demo_sqlite.collective_list()[0].facilitator_email
    demo_sqlite.update_settings(actor="test", facilitators=[leader])

    kinds: list[str] = []

    def spawn(email: str, url: str) -> Any:
        spawner = SimpleNamespace(
            user=SimpleNamespace(name=email),
            log=logging.getLogger("test"),
            cmd=[],
            args=["x"],
            environment={"OTHER": "1", "ILC_DATABASE_URL": "elsewhere"},
        )
        hook = make_pre_spawn_hook(url, python="py", then=lambda _s, kind: kinds.append(kind))
        run_isolated(hook(spawner))
        return spawner

    lab = spawn(leader, demo_sqlite.url)
    assert lab.cmd[-1] == "lab" and lab.args == [] and lab.default_url == LAB_DEFAULT_URL
    assert lab.environment == {"OTHER": "1", "ILC_DATABASE_URL": demo_sqlite.url}
    other = spawn("someone@else.example", demo_sqlite.url)
    assert other.cmd[-1] == "voila" and other.default_url == VOILA_DEFAULT_URL
    broken = spawn(leader, f"sqlite:///{tmp_path / 'missing.sqlite'}")
    assert broken.cmd[-1] == "voila"
    assert kinds == ["lab", "voila", "voila"]


def test_sign_in_admits_only_people_the_network_knows(demo_sqlite):
    import logging
    from types import SimpleNamespace

    from tornado.web import HTTPError

    from ilc_widgets.hub import OUTSIDER_MESSAGE, make_post_auth_hook

    hook = make_post_auth_hook(demo_sqlite.url, ["analyst@uni.example"])
    auth = SimpleNamespace(log=logging.getLogger("test"))
    loner = _people(demo_sqlite, member=False)
    for email in (loner, demo_sqlite.collective_list()[0].facilitator_email, "Analyst@uni.example"):
        model = {"name": email.upper()}
        assert run_isolated(hook(auth, None, model)) is model
    with pytest.raises(HTTPError) as refused:
        run_isolated(hook(auth, None, {"name": "visitor@outside.example"}))
    assert refused.value.status_code == 403 and refused.value.log_message == OUTSIDER_MESSAGE


def test_voila_json_settings_reach_jupyter_server():
    from ilc_widgets.hub import voila_json_settings
    from ilc_widgets.serve import UPLOAD_LIMIT_BYTES, workbooks_dir

    kit = json.loads((workbooks_dir() / "voila.json").read_text())
    config = voila_json_settings(kit)
    tornado = config["ServerApp"]["tornado_settings"]
    assert tornado["max_body_size"] == UPLOAD_LIMIT_BYTES
    assert "disable_check_xsrf" not in tornado
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    assert config["MappingKernelManager"]["cull_idle_timeout"] == 1800
    # a page whose kernel answers slowly (a room opening at once) keeps every section
    assert config["VoilaExecutor"]["iopub_timeout"] >= 60


def test_email_from_claims():
    from ilc_widgets.hub import email_from_claims

    assert email_from_claims({"email": "A.B@District.org", "upn": "x@y.org"}) == "a.b@district.org"
    assert email_from_claims({"email": None, "preferred_username": "c@d.org"}) == "c@d.org"
    assert email_from_claims({"name": "Someone", "upn": "no-at-sign"}) == ""


@pytest.mark.parametrize("sign_in", ["google", "entra"])
def test_district_config_keeps_whole_emails_as_user_names(sign_in, monkeypatch, demo_sqlite):
    from jupyterhub.app import JupyterHub

    monkeypatch.setenv("ILC_DATABASE_URL", demo_sqlite.url)
    monkeypatch.setenv("ILC_HUB_SIGN_IN", sign_in)
    monkeypatch.setenv("ILC_OAUTH_DOMAINS", "district.example.org")
    app = JupyterHub()
    app.load_config_file(str(DEPLOY / "jupyterhub_config.py"))
    authenticator = app.authenticator_class(config=app.config)
    claims = {
        "email": "Pat.Lee@District.Example.org",
        "name": "Pat Lee",
        "hd": "district.example.org",
    }
    name = authenticator.normalize_username(authenticator.user_info_to_username(claims))
    assert name == "pat.lee@district.example.org"
    assert app.config.Spawner.environment["ILC_DATABASE_URL"] == demo_sqlite.url
    assert app.config.Spawner.default_url == "/voila/render/00_home.ipynb"
    assert app.config.Spawner.cmd[-2:] == ["ilc_widgets.hub_server", "voila"]


def test_kubernetes_values_apply_the_same_configuration(monkeypatch, demo_sqlite):
    import logging
    from types import SimpleNamespace

    import yaml
    from traitlets.config import Config

    from ilc_widgets.hub import VOILA_DEFAULT_URL, single_user_command

    values = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "values.yaml").read_text())
    assert values["singleuser"]["defaultUrl"] == VOILA_DEFAULT_URL
    assert values["singleuser"]["cmd"] == single_user_command("voila", "python")
    assert values["hub"]["config"]["GoogleOAuthenticator"]["strip_domain"] is False
    monkeypatch.setenv("ILC_DATABASE_URL", demo_sqlite.url)
    monkeypatch.setenv("ILC_HUB_RESEARCHERS", "analyst@uni.example")
    c = Config()
    for code in values["hub"]["extraConfig"].values():
        exec(code, {"c": c})
    assert c.Spawner.default_url == VOILA_DEFAULT_URL
    assert c.Spawner.environment["ILC_DATABASE_URL"] == demo_sqlite.url
    assert c.Authenticator.post_auth_hook is not None

    def spawn(email: str) -> Any:
        spawner = SimpleNamespace(
            user=SimpleNamespace(name=email), log=logging.getLogger("test"), environment={}
        )
        run_isolated(c.Spawner.pre_spawn_hook(spawner))
        return spawner

    lab = spawn("analyst@uni.example")
    assert lab.cmd == single_user_command("lab", "python")
    assert lab.volume_mounts[0]["mountPath"] == "/home/jovyan"
    participant = spawn(_people(demo_sqlite, member=True))
    assert participant.cmd == single_user_command("voila", "python")
    assert not hasattr(participant, "volumes")


# ---------------------------------------------------------------------- processes


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def _tree(pid: int) -> set[int]:
    """Every process below ``pid``."""
    parents = _parents()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _server_of(hub: Hub, email: str) -> int | None:
    """The pid of the single-user server the hub runs for ``email``."""
    for pid in _tree(hub.process.pid):
        if "ilc_widgets.hub_server" not in _cmdline(pid):
            continue
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"JUPYTERHUB_USER={email}".encode() in environ:
            return pid
    return None


def _kernels(server: int) -> set[int]:
    return {p for p in _tree(server) if "ipykernel" in _cmdline(p) and _alive(p)}


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# ---------------------------------------------------------------------- the local hub


@dataclass
class Hub:
    """try-locally.sh running: its address, test users and network."""

    base: str
    port: int
    users: dict[str, str]
    database: str
    process: subprocess.Popen[str]


def _stop(process: subprocess.Popen[str], port: int) -> list[str]:
    """SIGTERM the script as a person would; say what was left running (and end it)."""
    tree = _tree(process.pid)
    process.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=90)
    left = [f"{pid}: {_cmdline(pid)}" for pid in sorted(tree | {process.pid}) if _alive(pid)]
    for pid in [process.pid, *tree]:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    if _port_open(port):
        left.append(f"something still listens on port {port}")
    return left


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """deploy/jupyterhub/try-locally.sh on a free port; stopped (and checked) at the end."""
    from ilc_widgets.serve import free_port

    if shutil.which("configurable-http-proxy") is None:
        message = "configurable-http-proxy (npm install -g configurable-http-proxy)"
        if os.environ.get("ILC_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{message} is required (ILC_REQUIRE_SERVICES=1) but not available")
        pytest.skip(f"{message} not available")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "ILC_DATABASE_URL"}
    log = tmp_path_factory.mktemp("hub") / "try-locally.err"
    with log.open("w") as err:
        process = subprocess.Popen(
            ["bash", str(DEPLOY / "try-locally.sh"), str(port)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
            start_new_session=True,
        )
    try:
        assert process.stdout is not None
        lines: dict[str, str] = {}
        while "hub" not in lines:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"try-locally.sh stopped: {log.read_text()[-2000:]}")
            key, _, value = line.partition(": ")
            lines[key.strip()] = value.strip()
        users = {k: lines[k] for k in ("member", "non-member", "facilitator", "outsider")}
        yield Hub(f"http://127.0.0.1:{port}", port, users, lines["network"], process)
    finally:
        left = _stop(process, port)
    assert not left, f"try-locally.sh left these running after SIGTERM: {left}"


def _sign_in(page: Any, hub: Hub, email: str) -> None:
    page.goto(f"{hub.base}/hub/login")
    page.fill("#username_input", email)
    page.fill("#password_input", "any")
    page.click("#login_submit")


def _context(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    return context


_EXECUTE_OVER_WEBSOCKET = """
async ([marker]) => {
  const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
  const url = location.href.replace(/^http/, 'ws').split('/voila/')[0]
    + '/api/kernels/' + config.kernelId + '/channels';
  const ws = new WebSocket(url);
  const seen = [];
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
  const done = new Promise((ok) => {
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      seen.push(msg.header.msg_type);
      if (msg.header.msg_type === 'kernel_info_reply') ok();
    };
  });
  const send = (type, content) => ws.send(JSON.stringify({
    header: {msg_id: type + Math.random(), msg_type: type, username: '', session: 'probe',
             version: '5.3', date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content: content, channel: 'shell', buffers: []}));
  send('execute_request', {code: `open(${JSON.stringify(marker)}, "w").write("ran")`,
       silent: false, store_history: false, user_expressions: {}, allow_stdin: false});
  send('kernel_info_request', {});
  await done;
  ws.close();
  return seen;
}
"""


@pytest.mark.browser
@pytest.mark.slow
def test_member_lands_on_their_collective_and_reaches_only_voila(hub, browser, tmp_path):
    email = hub.users["member"]
    net = open_network(hub.database)
    code = net.collective_of(email=email)
    assert code
    context = _context(browser)
    try:
        page = context.new_page()
        _sign_in(page, hub, email)
        page.wait_for_selector(".ilc-app", state="visible")
        assert page.url.endswith("/voila/render/00_home.ipynb")
        text = page.inner_text("body")
        assert net.collective(code).name in text
        for other in net.collective_list():
            if other.code != code:
                assert other.name not in text
        page.screenshot(path=str(ARTIFACTS / "hub-member-home.png"))

        server = _server_of(hub, email)
        assert server is not None and "hub_server voila" in _cmdline(server)
        kernels = _kernels(server)
        assert kernels  # the home page's kernel
        for kernel in kernels:  # the kernels do not get the server's hub token
            environ = Path(f"/proc/{kernel}/environ").read_bytes().split(b"\0")
            assert not [v for v in environ if v.startswith(b"JUPYTERHUB_API_TOKEN=")]
            assert f"JUPYTERHUB_USER={email}".encode() in environ

        # the page's own kernel takes widget messages only: code sent to it never runs
        marker = tmp_path / "executed.txt"
        seen = page.evaluate(_EXECUTE_OVER_WEBSOCKET, [str(marker)])
        assert "kernel_info_reply" in seen
        assert "execute_reply" not in seen and "execute_input" not in seen
        assert not marker.exists()

        user = f"{hub.base}/user/{email}"
        refused = {}
        for method, path in [
            ("GET", "/lab"),
            ("GET", "/lab/tree/00_home.ipynb"),
            ("GET", "/tree"),
            ("GET", "/api/kernels"),
            ("POST", "/api/kernels"),
            ("GET", "/api/sessions"),
            ("POST", "/api/sessions"),
            ("GET", "/api/contents"),
            ("PUT", "/api/contents/x.ipynb"),
            ("GET", "/api/terminals"),
            ("POST", "/api/terminals"),
            ("GET", "/terminals/1"),
            ("GET", "/files/voila.json"),
            ("GET", "/voila/files/voila.json"),
        ]:
            response = page.request.fetch(
                user + path, method=method, max_redirects=0, fail_on_status_code=False
            )
            refused[f"{method} {path}"] = response.status
            assert "JupyterLab" not in response.text()
        assert all(status in (403, 404) for status in refused.values()), refused
        print(f"\nmember {email}: {refused}")
        assert _kernels(server) == kernels  # no kernel was created by any of it
        response = page.goto(f"{user}/lab")
        assert response is not None and response.status == 404
        assert page.title() != "JupyterLab"
        # leaving the page shuts its kernel down (the page's POST passes the XSRF check)
        deadline = time.monotonic() + 60
        while _kernels(server) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _kernels(server)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_non_member_sees_the_link_is_not_valid(hub, browser):
    net = open_network(hub.database)
    context = _context(browser)
    try:
        page = context.new_page()
        _sign_in(page, hub, hub.users["non-member"])
        page.wait_for_selector(".ilc-denied-app", state="visible")
        text = page.inner_text("body")
        assert "This link is not valid" in text
        for c in net.collective_list():
            assert c.name not in text
        assert page.locator(".ilc-denied-app").count() == 1
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_outsider_is_refused_at_sign_in(hub, browser):
    from ilc_widgets.hub import OUTSIDER_MESSAGE

    email = hub.users["outsider"]
    context = _context(browser)
    try:
        page = context.new_page()
        _sign_in(page, hub, email)
        page.wait_for_selector(".login_error", state="visible")
        assert page.inner_text(".login_error") == OUTSIDER_MESSAGE
        assert _server_of(hub, email) is None
        response = page.goto(f"{hub.base}/user/{email}/voila/render/00_home.ipynb")
        assert "/hub/login" in page.url
        assert response is not None and page.locator(".ilc-app").count() == 0
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_facilitator_sees_every_collective_and_gets_jupyterlab(hub, browser):
    email = hub.users["facilitator"]
    net = open_network(hub.database)
    assert email in net.settings["facilitators"]
    context = _context(browser)
    try:
        page = context.new_page()
        _sign_in(page, hub, email)
        page.wait_for_selector(".ilc-app", state="visible")
        text = page.inner_text("body")
        for c in net.collective_list():
            assert c.name in text
        page.screenshot(path=str(ARTIFACTS / "hub-facilitator-home.png"))
        server = _server_of(hub, email)
        assert server is not None and "hub_server lab" in _cmdline(server)
        # the same requests the member is refused work here: the refusal is the role's
        user = f"{hub.base}/user/{email}"
        assert page.request.get(f"{user}/api/kernels").status == 200
        page.goto(f"{user}/lab")
        page.wait_for_selector("#jp-main-dock-panel", state="attached")
        assert page.title().startswith("JupyterLab") or "JupyterLab" in page.content()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_member_entry_shows_on_the_facilitators_page(hub, browser):
    member, facilitator = hub.users["member"], hub.users["facilitator"]
    net = open_network(hub.database)
    code = net.collective_of(email=member)
    assert code
    name = net.collective(code).name
    contexts = [_context(browser) for _ in range(2)]
    try:
        writer, reader = (c.new_page() for c in contexts)
        _sign_in(writer, hub, member)
        _sign_in(reader, hub, facilitator)
        writer.wait_for_selector(".ilc-app", state="visible")
        reader.wait_for_selector(".ilc-app", state="visible")
        writer.goto(f"{hub.base}/user/{member}/voila/render/04_collect_evidence.ipynb")
        reader.goto(
            f"{hub.base}/user/{facilitator}/voila/render/ilc-workbooks/04_collect_evidence.ipynb"
        )
        for p in (writer, reader):
            p.wait_for_selector("button.ilc-ev-add", state="visible")
        picker = reader.locator(".ilc-collective-picker select").first
        label = next(
            o for o in picker.locator("option").all_inner_texts() if o.endswith(f"({code})")
        )
        picker.select_option(label=label)
        reader.wait_for_selector(f".ilc-collective-name:has-text({json.dumps(name)})")

        description = f"Hub entry {time.time():.0f}"
        clicked = log_entry(writer, "Perceptions", description, value="64")
        writer.wait_for_selector(f".ilc-ev-row:has-text('{description}')", state="attached")
        reader.wait_for_selector(f".ilc-ev-row:has-text('{description}')", timeout=60_000)
        latency = time.monotonic() - clicked
        print(f"\nmember's entry on the facilitator's page {latency:.1f} s after the click")
        reader.screenshot(path=str(ARTIFACTS / "hub-facilitator-evidence.png"))
        frame = net.evidence_frame(code)
        row = frame[frame["description"] == description]
        assert len(row) == 1 and row.iloc[0]["entered_by"] == member

        # the member cannot borrow the facilitator's server (its JupyterLab, its kernels)
        for path in ("/api/kernels", "/lab", "/voila/render/ilc-workbooks/00_home.ipynb"):
            response = writer.request.get(f"{hub.base}/user/{facilitator}{path}")
            assert response.status == 403, (path, response.status)
            assert "JupyterLab" not in response.text() and name not in response.text()
    finally:
        for c in contexts:
            c.close()
