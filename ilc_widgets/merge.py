"""Three-way merging: what I typed, what someone else saved, and what we both started from.

Pure functions, no widgets and no database. :func:`merge_text` and :func:`merge_value`
merge one field; :func:`merge_set` a set of choices; :func:`merge_order` the order of a
list of ids; :func:`merge_placemats` a whole placemat, by field and by item id, with the
fields both people changed differently listed as :class:`MergeConflict` items for a person
to settle (:func:`resolve`, :func:`apply_choices`). The rule everywhere: what one side
changed is taken from that side; where both changed a text differently both texts are
kept (theirs first), so nobody's words are lost.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .format import number
from .placemat import EvidencePlanItem, Indicator, Placemat, TheoryStep
from .vocab import CADENCES, EVIDENCE_TYPES, INDICATOR_KINDS, TOA_LEVELS

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "MergeConflict",
    "MergeResult",
    "Path",
    "apply_choices",
    "clone",
    "join_texts",
    "merge_order",
    "merge_placemats",
    "merge_priorities",
    "merge_set",
    "merge_text",
    "merge_value",
    "resolve",
]


Path = tuple[str, ...]
ItemT = TypeVar("ItemT", TheoryStep, Indicator)

_MULTILINE = {"problem_of_practice", "surfacing_data", "if_text", "then_text", "measure", "what"}
_STEP_TEXT = ("if_text", "then_text")
_STEP_CHOICE = ("level",)
_IND_TEXT = ("name", "measure", "unit")
_IND_CHOICE = ("kind", "evidence_type", "baseline", "target", "target_date", "cadence")
_FIELD_LABELS = {
    "if_text": "If …",
    "then_text": "then …",
    "level": "level",
    "name": "name",
    "measure": "measure",
    "unit": "unit",
    "kind": "leading or lagging",
    "evidence_type": "evidence type",
    "baseline": "baseline",
    "target": "target",
    "target_date": "target date",
    "cadence": "cadence",
    "what": "what will be collected",
    "who": "by whom",
    "when": "when",
}


@dataclass(frozen=True)
class MergeConflict:
    """One place where both people changed the same thing differently.

    ``kind`` is ``"text"`` (``default`` is the merged text, editable) or ``"choice"``
    (``choices`` are ``(label, value)`` pairs; ``default`` is one of the values).
    """

    path: Path
    label: str
    kind: str
    theirs: str
    mine: str
    default: Any
    choices: tuple[tuple[str, Any], ...] = ()
    theirs_value: Any = None
    mine_value: Any = None


@dataclass
class MergeResult:
    """The merged placemat (conflicts resolved by their defaults) and the conflicts."""

    placemat: Placemat
    conflicts: list[MergeConflict] = field(default_factory=list)


def clone(p: Placemat) -> Placemat:
    """A deep copy of a placemat."""
    return Placemat.from_dict(copy.deepcopy(p.to_dict()))


def join_texts(mine: str, theirs: str, *, multiline: bool = True) -> str:
    """Both texts, theirs first; one alone when the other is empty or contains it."""
    m, t = mine.strip(), theirs.strip()
    if not m or m in t:
        return theirs
    if not t or t in m:
        return mine
    return f"{theirs.rstrip()}\n{mine.strip()}" if multiline else f"{t} / {m}"


def merge_value(base: Any, mine: Any, theirs: Any) -> tuple[Any, bool]:
    """Three-way merge of one value: the side that changed it (either, if both changed it
    the same way); True when both changed it differently (then mine is returned)."""
    if mine == theirs or theirs == base:
        return mine, False
    if mine == base:
        return theirs, False
    return mine, True


def merge_text(base: str, mine: str, theirs: str, *, multiline: bool = True) -> tuple[str, bool]:
    """Three-way merge of one text; where both changed it differently both texts are kept
    (:func:`join_texts`) and True says so."""
    value, clash = merge_value(base, mine, theirs)
    return (join_texts(mine, theirs, multiline=multiline), True) if clash else (value, False)


def merge_set(base: Iterable[Any], mine: Iterable[Any], theirs: Iterable[Any]) -> set[Any]:
    """Three-way merge of a set of choices: theirs, plus what I added, less what I removed."""
    b, m, t = set(base), set(mine), set(theirs)
    return (t | (m - b)) - (b - m)


def merge_priorities(base: list[str], mine: list[str], theirs: list[str]) -> tuple[list[str], bool]:
    """Merge ranked priorities: their list, less what I removed, plus what I added."""
    one_side, clash = merge_value(base, mine, theirs)
    if not clash:
        return list(one_side), False
    removed = {x for x in base if x not in mine}
    merged = [x for x in theirs if x not in removed]
    merged += [x for x in mine if x not in theirs and x not in base]
    return merged, True


def merge_order(base: list[str], mine: list[str], theirs: list[str]) -> list[str]:
    """The ids of a merged list: the reordered side's order, the other side's new ids after
    their predecessors. Ids in neither side (removed by both) are left out."""
    common = [i for i in base if i in mine and i in theirs]
    mine_rel = [i for i in mine if i in common]
    theirs_rel = [i for i in theirs if i in common]
    mine_reordered = mine_rel != common and theirs_rel == common
    primary, secondary = (mine, theirs) if mine_reordered else (theirs, mine)
    result = list(primary)
    for idx, item in enumerate(secondary):
        if item in result:
            continue
        pos = 0
        for prev in reversed(secondary[:idx]):
            if prev in result:
                pos = result.index(prev) + 1
                break
        result.insert(pos, item)
    return result


def _display(name: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    vocab = {
        "level": TOA_LEVELS,
        "evidence_type": EVIDENCE_TYPES,
        "cadence": CADENCES,
        "kind": INDICATOR_KINDS,
    }.get(name)
    if vocab is not None:
        return vocab.get(str(value), str(value))
    if name in ("baseline", "target"):
        return number(float(value))
    return str(value)


def _item_label(item: TheoryStep | Indicator, position: int) -> str:
    if isinstance(item, TheoryStep):
        return f"Theory of action, step {position}"
    kind = INDICATOR_KINDS.get(item.kind, item.kind)
    return f"{kind} indicator “{item.name.strip() or '(unnamed)'}”"


def _merge_item(
    section: str,
    base: ItemT | None,
    mine: ItemT,
    theirs: ItemT,
    position: int,
    text_fields: Sequence[str],
    choice_fields: Sequence[str],
) -> tuple[ItemT, list[MergeConflict]]:
    merged = copy.copy(theirs)
    origin = base if base is not None else theirs
    conflicts: list[MergeConflict] = []
    label = _item_label(theirs, position)
    for name in (*text_fields, *choice_fields):
        b, m, t = getattr(origin, name), getattr(mine, name), getattr(theirs, name)
        is_text = name in text_fields
        value, clash = (
            merge_text(b, m, t, multiline=name in _MULTILINE) if is_text else merge_value(b, m, t)
        )
        setattr(merged, name, value)
        if clash:
            path, where = (section, theirs.id, name), f"{label}: {_FIELD_LABELS[name]}"
            conflicts.append(
                _text_conflict(path, where, t, m, value)
                if is_text
                else _choice_conflict(path, where, name, t, m)
            )
    return merged, conflicts


def _text_conflict(path: Path, label: str, theirs: str, mine: str, merged: str) -> MergeConflict:
    """Both changed a text: the merged text (both kept) is the editable default."""
    return MergeConflict(
        path, label, "text", theirs, mine, merged, theirs_value=theirs, mine_value=mine
    )


def _choice_conflict(path: Path, label: str, name: str, theirs: Any, mine: Any) -> MergeConflict:
    """Both chose differently: a choice between theirs and mine (mine by default)."""
    t, m = _display(name, theirs), _display(name, mine)
    return MergeConflict(
        path,
        label,
        "choice",
        t,
        m,
        mine,
        ((f"Theirs: {t}", theirs), (f"Yours: {m}", mine)),
        theirs_value=theirs,
        mine_value=mine,
    )


def _merge_items(
    section: str,
    base: list[ItemT],
    mine: list[ItemT],
    theirs: list[ItemT],
    text_fields: Sequence[str],
    choice_fields: Sequence[str],
) -> tuple[list[ItemT], list[MergeConflict]]:
    b = {x.id: x for x in base}
    m = {x.id: x for x in mine}
    t = {x.id: x for x in theirs}
    order = merge_order(list(b), list(m), list(t))
    out: list[ItemT] = []
    conflicts: list[MergeConflict] = []
    for item_id in order:
        position = len(out) + 1
        if item_id in m and item_id in t:
            merged, found = _merge_item(
                section,
                b.get(item_id),
                m[item_id],
                t[item_id],
                position,
                text_fields,
                choice_fields,
            )
            out.append(merged)
            conflicts += found
            continue
        only_theirs = item_id in t
        item = t[item_id] if only_theirs else m[item_id]
        if item_id in b:
            if item == b[item_id]:
                continue  # removed by one side, untouched by the other
            who = (
                "You removed this; it was changed"
                if only_theirs
                else "It was removed; you changed it"
            )
            conflicts.append(
                MergeConflict(
                    (section, item_id),
                    _item_label(item, position),
                    "choice",
                    "removed" if not only_theirs else "changed",
                    "changed" if not only_theirs else "removed",
                    True,
                    ((f"{who}: keep it", True), ("Remove it", False)),
                    theirs_value=only_theirs,
                    mine_value=not only_theirs,
                )
            )
        out.append(copy.copy(item))
    return out, conflicts


def merge_placemats(base: Placemat, mine: Placemat, theirs: Placemat) -> MergeResult:
    """Merge my edits (made from ``base``) with the newer saved ``theirs``.

    Fields changed by one side only are taken from that side; fields changed by both
    differently become :class:`MergeConflict` items (resolved by their defaults in the
    returned placemat: texts joined, theirs first; other values mine; items kept).
    """
    out = Placemat()
    conflicts: list[MergeConflict] = []
    for name, label in (
        ("problem_of_practice", "Problem of practice"),
        ("surfacing_data", "What data surfaced it"),
    ):
        b, m, t = getattr(base, name), getattr(mine, name), getattr(theirs, name)
        value, clash = merge_text(b, m, t)
        setattr(out, name, value)
        if clash:
            conflicts.append(_text_conflict((name,), label, t, m, value))
    priorities, clash = merge_priorities(base.priorities, mine.priorities, theirs.priorities)
    out.priorities = priorities
    if clash:
        conflicts.append(
            _text_conflict(
                ("priorities",),
                "Priorities (one per line, in rank order)",
                "\n".join(theirs.priorities),
                "\n".join(mine.priorities),
                "\n".join(priorities),
            )
        )
    out.theory_of_action, found = _merge_items(
        "theory_of_action",
        base.theory_of_action,
        mine.theory_of_action,
        theirs.theory_of_action,
        _STEP_TEXT,
        _STEP_CHOICE,
    )
    conflicts += found
    out.indicators, found = _merge_items(
        "indicators", base.indicators, mine.indicators, theirs.indicators, _IND_TEXT, _IND_CHOICE
    )
    conflicts += found
    for key, type_label in EVIDENCE_TYPES.items():
        item = EvidencePlanItem()
        for name in ("what", "who", "when"):
            b = getattr(base.evidence_plan[key], name)
            m = getattr(mine.evidence_plan[key], name)
            t = getattr(theirs.evidence_plan[key], name)
            value, clash = merge_text(b, m, t, multiline=name in _MULTILINE)
            setattr(item, name, value)
            if clash:
                label = f"Evidence plan, {type_label}: {_FIELD_LABELS[name]}"
                conflicts.append(_text_conflict(("evidence_plan", key, name), label, t, m, value))
        out.evidence_plan[key] = item
    return MergeResult(out, conflicts)


def resolve(result: MergeResult, side: str) -> Placemat:
    """The merged placemat with every clash settled for one side (``"mine"``/``"theirs"``).

    What only one side changed is kept either way, so nobody's other work is dropped.
    """
    attr = "mine_value" if side == "mine" else "theirs_value"
    return apply_choices(result, {c.path: getattr(c, attr) for c in result.conflicts})


def apply_choices(result: MergeResult, chosen: dict[Path, Any]) -> Placemat:
    """The merged placemat with the person's resolution of some conflicts applied."""
    p = clone(result.placemat)
    for path, value in chosen.items():
        head = path[0]
        if head in ("problem_of_practice", "surfacing_data"):
            setattr(p, head, str(value))
        elif head == "priorities":
            p.priorities = [x.strip() for x in str(value).splitlines() if x.strip()]
        elif head == "evidence_plan":
            setattr(p.evidence_plan[path[1]], path[2], str(value))
        elif head in ("theory_of_action", "indicators"):
            items: list[Any] = getattr(p, head)
            if len(path) == 2:
                if not value:
                    setattr(p, head, [x for x in items if x.id != path[1]])
                continue
            for item in items:
                if item.id == path[1]:
                    setattr(item, path[2], value)
    return p
