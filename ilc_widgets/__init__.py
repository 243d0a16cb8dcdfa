"""ILC Workbook Kit: widgets, storage and analyses for Instructional Leadership Collectives.

The domain modules (``themes``, ``grouping``, ``placemat``, ``stats``, ``privacy``,
``efficacy``) have no widget code and can be used directly; ``open_network`` gives the
data of one network as pandas DataFrames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .network import Network, open_network

__all__ = ["Network", "__version__", "open_network"]


def __getattr__(name: str) -> Any:
    # Lazy, so that ``import ilc_widgets.stats`` does not pull in SQLAlchemy.
    if name in ("Network", "open_network"):
        from . import network

        return getattr(network, name)
    raise AttributeError(name)
