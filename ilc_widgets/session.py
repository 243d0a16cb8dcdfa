"""A workbook's session context: which network, which role, which collective.

Under Voilà the context comes from the page's query string (waiting for it when the
kernel was preheated); under JupyterHub the signed-in user's email can stand in for a
link; in JupyterLab, where there is no query string, the researcher sees the whole network.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from .access import Grant, Role, access_query, parse_query, verify
from .errors import IlcError, NotFound

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .network import Collective, Network

DENIED_MESSAGE = "This link is not valid. Ask your facilitator for your collective's link."
READ_ONLY_MESSAGE = (
    "this researcher session is read-only, so nothing was saved; to change the live "
    "network, start the workbook with workbook.start(database, collective, write=True) "
    "(or the papermill parameter write=True)"
)


@dataclass
class SessionContext:
    """Who is using a workbook, on which network, and what they may see."""

    role: Role
    network: Network | None = None
    collective: Collective | None = None
    actor: str = ""
    query: str = ""
    reason: str = ""
    params: dict[str, str] = field(default_factory=dict)
    denied_shown: bool = False
    sections_shown: int = 0
    choices: tuple[str, ...] = ()
    """Collective ids a signed-in user may switch between (a facilitator of several)."""

    @property
    def allowed(self) -> bool:
        """False when the workbook must show nothing but the 'not valid' message.

        True does not mean every section: which roles see which section is the role gate
        of :func:`ilc_widgets.workbook.section`.
        """
        return self.role != "denied" and self.network is not None

    @property
    def is_facilitator(self) -> bool:
        """True for the facilitator link and for researchers (whole-network access)."""
        return self.role in ("facilitator", "researcher")

    @property
    def read_only(self) -> bool:
        """True when this session may read but not change the network."""
        return self.network is not None and bool(self.network.read_only)

    @property
    def collective_code(self) -> str | None:
        """The collective's id, or None for whole-network sessions."""
        return None if self.collective is None else self.collective.code

    def require_network(self) -> Network:
        """The network, or an error when this session may not see it."""
        if self.network is None or not self.allowed:
            raise IlcError(DENIED_MESSAGE)
        return self.network

    def link(self, notebook: str) -> str:
        """A relative link to another workbook that keeps this session's access."""
        return f"./{notebook}?{self.query}" if self.query else f"./{notebook}"


def in_voila(environ: Mapping[str, str]) -> bool:
    """True inside a kernel started by Voilà (or by ``ilc serve``)."""
    return (
        environ.get("SERVER_SOFTWARE", "").startswith("voila")
        or environ.get("VOILA_PREHEAT") == "True"
        or environ.get("ILC_SERVE") == "1"
    )


def has_front_end(environ: Mapping[str, str] | None = None) -> bool:
    """False when no browser will draw the widgets (papermill, nbconvert, nbval, scripts).

    Voilà and JupyterLab have one (a kernel started by a Jupyter server carries
    ``JPY_SESSION_NAME``); ``ILC_STATIC=1`` or ``0`` decides explicitly.
    """
    env = os.environ if environ is None else environ
    forced = env.get("ILC_STATIC", "").strip().lower()
    if forced in ("1", "true", "yes"):
        return False
    if forced in ("0", "false", "no"):
        return True
    return in_voila(env) or bool(env.get("JPY_SESSION_NAME"))


def _query_string(environ: Mapping[str, str]) -> str:
    if environ.get("VOILA_PREHEAT") == "True":
        # A preheated kernel ran the notebook before anyone asked for it: wait for the
        # request, which puts the real query string into the environment (without
        # importing Voilà, which costs every kernel 1.8 CPU-seconds and 46 MB).
        from ._voila_query import wait_for_query

        return wait_for_query()
    return environ.get("QUERY_STRING", "")


def get_context(
    database: str | None = None,
    *,
    collective: str | None = None,
    query_string: str | None = None,
    environ: Mapping[str, str] | None = None,
    write: bool = False,
) -> SessionContext:
    """The session context of the running workbook.

    ``collective`` (a papermill parameter) narrows a researcher's whole-network session
    to one collective; it grants nothing under Voilà, where only a signed link does. A
    researcher's session (JupyterLab, papermill) reads the live network and changes
    nothing unless ``write=True``; under Voilà the link decides and ``write`` is ignored.
    """
    from .network import open_network

    env = os.environ if environ is None else environ
    voila = in_voila(env)
    query = _query_string(env) if query_string is None else query_string
    params = parse_query(query)
    try:
        network = open_network(database)
    except IlcError as exc:
        if not voila:
            raise  # in JupyterLab the researcher needs the real reason
        return SessionContext("denied", reason=f"the network could not be opened: {exc}")

    def denied(reason: str) -> SessionContext:
        return SessionContext("denied", reason=reason, params=params)

    hub_user = env.get("JUPYTERHUB_USER", "")
    choices: tuple[str, ...] = ()
    if params.get("key"):
        grant = verify(network.secret, params)
    elif hub_user and voila:
        grant, choices = _hub_grant(network, hub_user, params.get("collective", ""))
    elif not voila:
        grant = Grant("researcher", collective)
    else:
        grant = Grant("denied", reason="the link has no key")
    if not grant.allowed:
        return denied(grant.reason)

    found = None
    if grant.collective:
        try:
            found = network.collective(grant.collective)
        except NotFound:
            if not voila:  # a researcher's batch run: a typo must stop it, with the reason
                known = ", ".join(c.code for c in network.collective_list()) or "none yet"
                raise NotFound(
                    f"there is no collective {grant.collective!r} in this network (known: {known})"
                ) from None
            return denied("the collective does not exist")
    if grant.role == "participant":
        actor = hub_user or f"{grant.collective} link"
        access = access_query(network.secret, collective=grant.collective)
    elif grant.role == "facilitator":
        actor = hub_user or "facilitator"
        access = access_query(network.secret, role="facilitator")
    elif grant.role == "intake":
        actor, access = "intake form", access_query(network.secret, role="intake")
    else:
        actor, access = _whoami(), ""
        if not write:
            network.make_read_only(READ_ONLY_MESSAGE)
    if hub_user and grant.role in ("participant", "facilitator") and not params.get("key"):
        # under JupyterHub the login, not a key, carries the access; someone who may open
        # several collectives keeps the one they chose in their links
        access = urlencode({"collective": grant.collective}) if len(choices) > 1 else ""
    return SessionContext(
        grant.role,
        network=network,
        collective=found,
        actor=actor,
        query=access,
        params=params,
        choices=choices,
    )


def _hub_grant(network: Network, user: str, requested: str = "") -> tuple[Grant, tuple[str, ...]]:
    """What a signed-in JupyterHub user may open, and the collectives they may choose from.

    Listed facilitators (the network's ``facilitators`` setting) see every collective. A
    member opens their collective; a collective's own facilitator works in it, and
    someone who facilitates several chooses among them (``?collective=ID`` without a key).
    """
    email = user.strip().lower()
    if email in network.facilitator_emails:
        return Grant("facilitator"), ()
    mine: list[str] = []
    code = network.collective_of(email=email)
    if code:
        mine.append(code)
    mine += [
        c.code
        for c in network.collective_list()
        if c.facilitator_email.lower() == email and c.code not in mine
    ]
    if not mine:
        return Grant("denied", reason=f"{user} is not a member of any collective"), ()
    if requested and requested not in mine:
        return Grant("denied", reason=f"{user} may not open collective {requested!r}"), ()
    return Grant("participant", requested or mine[0]), tuple(mine)


def _whoami() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name in some containers
        return "researcher"
