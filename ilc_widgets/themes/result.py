"""What theme suggestion returns, and the types it takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._theme_catalog import CatalogTheme
from ..errors import IlcError
from .config import UNTHEMED

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]
    Embedder = Callable[[Sequence[str]], FloatArray]

#: A facilitator's seed theme: a name, "name: description", a (name, description) pair or a
#: :class:`CatalogTheme`.
Seed = str | tuple[str, str] | CatalogTheme


class ThemeModelUnavailable(IlcError, RuntimeError):
    """The embedding model's packages are not installed (or are not the expected files)."""


@dataclass
class Theme:
    """One suggested theme: its name, the indices of its statements and its key phrases."""

    name: str
    members: list[int] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Number of statements in the theme."""
        return len(self.members)

    @property
    def is_unthemed(self) -> bool:
        """True for the group of statements that fit no theme."""
        return self.name == UNTHEMED


@dataclass
class ThemeSuggestion:
    """The result of :func:`suggest_themes`.

    ``labels[i]`` is the theme name of ``texts[i]``. ``themes`` lists the themes, largest
    first, with the Unthemed group (when it has members) last; their ``members`` partition
    ``range(len(texts))``.
    """

    labels: list[str]
    themes: list[Theme]
    method: str = ""

    def __getitem__(self, name: str) -> Theme:
        """The theme called ``name``."""
        for theme in self.themes:
            if theme.name == name:
                return theme
        raise KeyError(name)

    @property
    def n_themes(self) -> int:
        """Number of themes, not counting Unthemed."""
        return sum(1 for t in self.themes if not t.is_unthemed)

    def members_of(self, name: str, texts: Sequence[str]) -> list[str]:
        """The statements of theme ``name``, given the texts that were grouped."""
        return [texts[i] for i in self[name].members]
