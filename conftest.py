"""Root pytest configuration: notebook kernels (nbval) get a demo network to open.

It lives at the root so that ``pytest workbooks/01_gather_themes.ipynb`` works on its own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
_NBVAL_DIR = Path(tempfile.mkdtemp(prefix="ilc-nbval-"))


def pytest_configure(config: pytest.Config) -> None:
    """Load the demo into a temporary file and point ``ILC_DATABASE_URL`` at it."""
    ARTIFACTS.mkdir(exist_ok=True)
    if os.environ.get("ILC_DATABASE_URL"):
        return
    from ilc_widgets.demo import load_demo

    path = _NBVAL_DIR / "nbval-demo.sqlite"
    load_demo(path).close()
    os.environ["ILC_DATABASE_URL"] = f"sqlite:///{path}"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_NBVAL_DIR, ignore_errors=True)
