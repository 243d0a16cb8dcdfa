"""Taking names, emails and student references out of what people typed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from ..privacy import NAME_PLACEHOLDER, redact_names

if TYPE_CHECKING:
    from collections.abc import Iterable

EMAIL_PLACEHOLDER: Final = "[email]"
STUDENT_PLACEHOLDER: Final = "[student]"
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TOKEN = re.compile(r"[\w-]+")


class Redactor:
    """Takes names, emails and student references out of text people typed.

    Full names (and student references of several words) are matched by
    :func:`~ilc_widgets.privacy.redact_names` (any case, any spacing); each part of a name
    of three or more letters is also replaced where it is written with its capital
    ("Hodan", not "hodan"), so a first name alone is caught without turning ordinary words
    ("will", "grace") into ``[name]``. Only names whose words occur in a text are tried,
    which keeps hundreds of names fast.
    """

    def __init__(
        self,
        names: Iterable[str | None] = (),
        student_refs: Iterable[str | None] = (),
    ) -> None:
        tidy = {" ".join(str(n).split()) for n in names if n and str(n).strip()}
        self._names = sorted(tidy, key=len, reverse=True)
        self._first = {n: n.split(" ")[0].casefold() for n in self._names}
        self._parts = {
            p
            for n in self._names
            for p in n.split(" ")
            if len(p.strip(".'-’")) >= 3 and p[:1].isupper()
        }
        refs = {" ".join(str(r).split()) for r in student_refs if r and len(str(r).strip()) >= 3}
        self._refs = {r for r in refs if _TOKEN.fullmatch(r)}
        # a reference of several words (a student's name typed as the reference) is matched
        # as a whole, in any case and spacing, like a participant's name
        self._ref_names = sorted(refs - self._refs, key=len, reverse=True)

    def __call__(self, text: str | None) -> str:
        """``text`` with names, emails and student references replaced."""
        if not text:
            return ""
        out = _EMAIL.sub(EMAIL_PLACEHOLDER, str(text))
        if self._names:
            low = out.casefold()
            candidates = [n for n in self._names if self._first[n] in low]
            if candidates:
                out = redact_names(out, candidates)
            if self._parts:
                out = _WORD.sub(self._part, out)
        if self._refs:
            out = _TOKEN.sub(
                lambda m: STUDENT_PLACEHOLDER if m.group() in self._refs else m.group(), out
            )
        if self._ref_names:
            low = out.casefold()
            found = [r for r in self._ref_names if r.split(" ")[0].casefold() in low]
            if found:
                out = redact_names(out, found, placeholder=STUDENT_PLACEHOLDER)
        return out

    def _part(self, match: re.Match[str]) -> str:
        word = match.group()
        bare = re.sub(r"['’]s$", "", word)
        if word in self._parts or bare in self._parts:
            return NAME_PLACEHOLDER + word[len(bare) :] if bare != word else NAME_PLACEHOLDER
        return word
