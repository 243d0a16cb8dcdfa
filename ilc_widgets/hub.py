"""Serving the workbooks under JupyterHub: who may sign in and which server each person gets.

Everyone signs in with an email. The network decides the rest, at sign-in and at each spawn:

- people the network does not know (not a participant, not a collective's facilitator, not in
  the ``facilitators`` setting, not a listed researcher) are refused at sign-in;
- the network's facilitators and the listed researchers get a Jupyter Server with JupyterLab
  and the Voilà extension (a code-running surface, for the people trusted with all the data);
- everyone else gets a Voilà-only server (``python -m ilc_widgets.hub_server voila``): the
  workbooks as web apps, and no JupyterLab, terminals, contents or kernels API.

This module needs no JupyterHub import: ``deploy/jupyterhub/jupyterhub_config.py`` calls
:func:`configure_hub`; the single-user commands live in :mod:`ilc_widgets.hub_server`.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any, Literal

from . import db
from .errors import IlcError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

ServerKind = Literal["voila", "lab"]

LAB_FOLDER = "ilc-workbooks"
"""Where a facilitator's server keeps its copy of the workbooks (inside the home folder)."""

VOILA_DEFAULT_URL = "/voila/render/00_home.ipynb"
LAB_DEFAULT_URL = f"/voila/render/{LAB_FOLDER}/00_home.ipynb"
OUTSIDER_MESSAGE = (
    "This account is not part of the network. Ask your facilitator to add your email."
)


def _emails(values: Iterable[object]) -> set[str]:
    return {v.strip().lower() for v in values if isinstance(v, str) and v.strip()}


def lab_users(database: str, researchers: Iterable[str] = ()) -> set[str]:
    """Emails that get JupyterLab: the network's ``facilitators`` setting and the researchers."""
    from .network import open_network

    net = open_network(database)
    try:
        return set(net.facilitator_emails) | _emails(researchers)
    finally:
        net.close()


def known_people(database: str, researchers: Iterable[str] = ()) -> set[str]:
    """Every email the network knows: participants, collectives' facilitators, facilitators."""
    from .network import open_network

    net = open_network(database)
    try:
        people = _emails(net.participants["email"].tolist())
        people |= _emails(c.facilitator_email for c in net.collective_list())
        people |= set(net.facilitator_emails)
        return people | _emails(researchers)
    finally:
        net.close()


def server_kind(email: str, database: str, researchers: Iterable[str] = ()) -> ServerKind:
    """``"lab"`` for facilitators and researchers, ``"voila"`` for everyone else."""
    return "lab" if email.strip().lower() in lab_users(database, researchers) else "voila"


def single_user_command(kind: ServerKind, python: str = sys.executable) -> list[str]:
    """The command a spawner runs for a server of this kind."""
    return [python, "-m", "ilc_widgets.hub_server", kind]


def email_from_claims(user_info: Mapping[str, Any]) -> str:
    """The email in an identity provider's claims (``email``, else ``preferred_username``/``upn``).

    For ``OAuthenticator.username_claim``: Microsoft Entra ID sends ``email`` only when the
    tenant adds it as an optional claim; the sign-in name is the email in most districts.
    """
    for key in ("email", "preferred_username", "upn"):
        value = str(user_info.get(key) or "").strip().lower()
        if "@" in value:
            return value
    return ""


def make_pre_spawn_hook(
    database_url: str,
    researchers: Iterable[str] = (),
    python: str = sys.executable,
    then: Callable[[Any, ServerKind], None] | None = None,
) -> Callable[[Any], Awaitable[None]]:
    """A ``Spawner.pre_spawn_hook`` that gives each person the server their role allows.

    The role is read from the network at every spawn (a facilitator added or removed takes
    effect at their next server start). When the network cannot be read, the server is the
    Voilà-only one: the hook fails closed. The command, default page and database URL are
    set on the spawner itself, over any spawner-specific configuration (Zero to JupyterHub
    sets ``KubeSpawner.cmd`` and ``.environment``). ``then(spawner, kind)`` may add more,
    such as a home volume for ``"lab"`` servers only.
    """
    listed = sorted(_emails(researchers))

    async def pre_spawn_hook(spawner: Any) -> None:
        email = str(spawner.user.name)
        try:
            kind = await asyncio.to_thread(server_kind, email, database_url, listed)
        except IlcError as exc:
            spawner.log.warning("ILC: %s; %s gets the Voilà-only server", exc, email)
            kind = "voila"
        spawner.cmd = single_user_command(kind, python)
        spawner.args = []
        spawner.default_url = LAB_DEFAULT_URL if kind == "lab" else VOILA_DEFAULT_URL
        spawner.environment = {**(spawner.environment or {}), db.ENV_URL: database_url}
        if then is not None:
            then(spawner, kind)
        spawner.log.info("ILC: %s gets the %s server", email, kind)

    return pre_spawn_hook


def make_post_auth_hook(
    database_url: str, researchers: Iterable[str] = ()
) -> Callable[[Any, Any, dict[str, Any]], Awaitable[dict[str, Any]]]:
    """An ``Authenticator.post_auth_hook`` that refuses people the network does not know."""
    listed = sorted(_emails(researchers))

    async def post_auth_hook(
        authenticator: Any, _handler: Any, authentication: dict[str, Any]
    ) -> dict[str, Any]:
        from tornado.web import HTTPError

        email = str(authentication.get("name", "")).strip().lower()
        try:
            known = await asyncio.to_thread(known_people, database_url, listed)
        except IlcError as exc:
            authenticator.log.error("ILC: sign-in of %s not checked: %s", email, exc)
            raise HTTPError(503, "The network cannot be reached; try again shortly.") from None
        if email not in known:
            authenticator.log.warning("ILC: refused sign-in of %s (not in the network)", email)
            raise HTTPError(403, OUTSIDER_MESSAGE)
        return authentication

    return post_auth_hook


def voila_json_settings(voila_json: Mapping[str, Any]) -> dict[str, Any]:
    """The kit's ``voila.json`` as Jupyter Server configuration (for the Voilà extension).

    Upload limits become ``ServerApp.tornado_settings``, culling stays on the kernel manager
    and the Voilà settings (no tracebacks, how long the page waits for a cell's output) stay
    as they are. The XSRF switch is left out: a
    JupyterLab server keeps its XSRF checks.
    """
    tornado = dict(voila_json.get("Voila", {}).get("tornado_settings", {}))
    tornado.pop("disable_check_xsrf", None)
    config: dict[str, Any] = {"ServerApp": {"tornado_settings": tornado}}
    for section in ("VoilaConfiguration", "MappingKernelManager", "VoilaExecutor"):
        if section in voila_json:
            config[section] = dict(voila_json[section])
    return config


def configure_hub(
    c: Any,
    *,
    database_url: str,
    researchers: Iterable[str] = (),
    python: str = sys.executable,
    admit_only_network: bool = True,
    then: Callable[[Any, ServerKind], None] | None = None,
) -> None:
    """Apply the kit's settings to a JupyterHub configuration object ``c``.

    ``ILC_DATABASE_URL`` is passed to every server, the role split runs before each spawn,
    the default page is the home workbook, user-level Jupyter configuration is ignored and
    (unless ``admit_only_network`` is False) only people the network knows may sign in.
    ``python`` is the single-user servers' Python (``"python"`` in a container image);
    ``then`` is passed to :func:`make_pre_spawn_hook`.
    """
    if not database_url:
        raise IlcError(f"set {db.ENV_URL} to the network's database (a PostgreSQL URL)")
    listed = sorted(_emails(researchers))
    environment = dict(c.Spawner.environment) if "environment" in c.Spawner else {}
    c.Spawner.environment = {**environment, db.ENV_URL: database_url}
    c.Spawner.cmd = single_user_command("voila", python)  # the hook decides; this is the floor
    c.Spawner.pre_spawn_hook = make_pre_spawn_hook(database_url, listed, python, then)
    c.Spawner.default_url = VOILA_DEFAULT_URL
    c.Spawner.disable_user_config = True
    c.Spawner.http_timeout = 120
    c.Spawner.start_timeout = 180
    if admit_only_network:
        c.Authenticator.post_auth_hook = make_post_auth_hook(database_url, listed)
