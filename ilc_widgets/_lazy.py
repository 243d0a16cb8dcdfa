"""pandas and numpy imported when first used, not when a module that may use them is.

A workbook page imports the storage layer and the formatting rules, which can hand back
DataFrames; a page that never asks for one should not pay for pandas (0.35 CPU-seconds and
about 30 MB in every kernel, the largest part of a page's cost when a room opens its
links at once). Modules write, in place of ``import pandas as pd``::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        from .._lazy import pd

and ``pd.DataFrame`` imports pandas the first time it is reached. :func:`loaded` answers
"is this value possibly a pandas object?" without importing anything: when pandas is not
imported yet, no value can be one.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


class _Lazy(ModuleType):
    """A stand-in for a module that imports it on the first attribute asked for."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._target = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self._target)
        return getattr(module, attr)


def loaded(name: str) -> ModuleType | None:
    """The module ``name`` if something has imported it already, else None (no import)."""
    return sys.modules.get(name)


pd: Any = _Lazy("pandas")
np: Any = _Lazy("numpy")
