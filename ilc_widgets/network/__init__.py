"""One network's data: the storage API used by the widgets, the ``ilc`` command and researchers.

Open a network with :func:`open_network` (a path, a SQLAlchemy URL, ``ILC_DATABASE_URL``
or the default file). Reading gives pandas DataFrames (``net.participants``,
``net.evidence``, ...); every change goes through a method here that writes it, its audit
row and the collective's revision counter in one transaction, so a change is saved the
moment it is made and two people never silently overwrite each other.

:class:`Network` is assembled from one mixin per concern: ``settings`` (details, settings,
link secret, revisions), ``participants`` (roster, themes), ``collectives`` (collectives,
plans, memberships, saved work), ``placemats``, ``evidence`` (and the implementation log),
``reviews`` (reflections, pulse survey, scores, effect sizes) and ``exports`` (every table,
the audit log, indicator status), over ``_base`` (transactions, audit, shared lookups) and
``_rows`` (records and value helpers). ``opening`` holds :func:`open_network` and
:func:`create_network`.
"""

from __future__ import annotations

from ..vocab import EVIDENCE_TYPES
from ._rows import (
    DEFAULT_SETTINGS,
    EVIDENCE_FIELDS,
    PARTICIPANT_FIELDS,
    Collective,
    PlacematState,
    Progress,
)
from .opening import Network, create_network, open_network
from .settings import ENV_SECRET, MIN_SECRET_CHARS, secret_from_environment

__all__ = [
    "DEFAULT_SETTINGS",
    "ENV_SECRET",
    "EVIDENCE_FIELDS",
    "EVIDENCE_TYPES",
    "MIN_SECRET_CHARS",
    "PARTICIPANT_FIELDS",
    "Collective",
    "Network",
    "PlacematState",
    "Progress",
    "create_network",
    "open_network",
    "secret_from_environment",
]
