"""Building the report model from a network, with every privacy rule applied."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import IlcError
from ..placemat import Placemat
from ..privacy import DEFAULT_MIN_N
from ..stats import summarize_indicators
from .cards import _card, _effect_summary, _theme_groups
from .model import EffectSizeSummary, NetworkReport
from .redact import Redactor
from .summary import (
    _at_a_glance,
    _evidence_by_theme,
    _evidence_use,
    _headline,
    _intersections,
    _method_notes,
    _privacy_note,
    _pulse,
    _roles_table,
    _status_table,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..network import Network


def _check_min(min_n: Any) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise IlcError(f"the minimum cell size must be a whole number of at least 1, not {min_n!r}")
    return int(min_n)


def build_network_report(
    network: Network,
    *,
    min_cell_size: int | None = None,
    show_names: bool = False,
    collectives: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> NetworkReport:
    """Read the network and build its report model, with every privacy rule applied.

    ``min_cell_size`` defaults to the network setting ``min_cell_size`` (10);
    ``show_names`` puts participants' and facilitators' names in (default off: they are
    replaced by ``[name]`` wherever people typed them); ``collectives`` limits the report to
    some collectives (ids). Raises :class:`~ilc_widgets.errors.IlcError` for an unknown
    collective or a minimum below 1.
    """
    settings = network.settings
    min_n = _check_min(
        min_cell_size if min_cell_size is not None else settings.get("min_cell_size", DEFAULT_MIN_N)
    )
    info = network.info
    every = network.collective_list()
    if collectives is not None:
        wanted = list(dict.fromkeys(str(c) for c in collectives))
        known = {c.code for c in every}
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise IlcError(
                f"there is no collective {', '.join(map(repr, unknown))} in this network"
            )
        chosen = [c for c in every if c.code in set(wanted)]
    else:
        chosen = every
    codes = [c.code for c in chosen]
    code_set = set(codes)

    participants = network.participants_frame()
    members = participants[participants["collective"].isin(code_set)]
    scores = network.scores_frame()
    refs = scores["student_ref"].dropna().astype(str).tolist() if len(scores) else []
    names: list[str] = []
    if not show_names:
        names = [str(n) for n in participants["name"].dropna()]
        names += [c.facilitator_name for c in every if c.facilitator_name]
    redact = Redactor(names, refs)

    placemat_frame = network.placemats_frame()
    mats: dict[str, tuple[Placemat, int]] = {
        str(code): (Placemat.from_dict(doc), int(version))
        for code, doc, version in zip(
            placemat_frame["collective"],
            placemat_frame["document"],
            placemat_frame["version"],
            strict=True,
        )
    }
    evidence = network.evidence_frame()
    evidence = evidence[evidence["collective"].isin(code_set)]
    by_collective = {str(k): g for k, g in evidence.groupby("collective", sort=False)}
    mapping = {c: mats[c][0].indicators for c in codes if c in mats}
    status = summarize_indicators(
        evidence, mapping, today=today, start=info.get("cycle_start") or None
    )
    status_rows: dict[tuple[str, str], dict[str, Any]] = {
        (str(r["collective"]), str(r["indicator_id"])): {str(k): v for k, v in r.items()}
        for r in status.to_dict("records")
    }
    effect_frame = network.effect_sizes(min_n)
    effect_frame = effect_frame[effect_frame["collective"].isin(code_set)]
    reflections = network.reflections_frame()
    reflections = reflections[reflections["collective"].isin(code_set)]
    names_by_code = {c.code: c.name for c in chosen}

    effects: dict[str, list[EffectSizeSummary]] = {}
    for r in effect_frame.to_dict("records"):
        summary = _effect_summary({str(k): v for k, v in r.items()}, names_by_code, redact, min_n)
        effects.setdefault(summary.collective, []).append(summary)

    cards = [
        _card(
            c,
            mats.get(c.code, (Placemat(), 0)),
            by_collective.get(c.code, evidence.iloc[0:0]),
            status_rows,
            effects.get(c.code, []),
            reflections[reflections["collective"] == c.code],
            members[members["collective"] == c.code],
            redact=redact,
            min_n=min_n,
            show_names=show_names,
        )
        for c in chosen
    ]
    order = Counter(card.theme or "(no theme)" for card in cards)
    cards.sort(key=lambda k: (-order[k.theme or "(no theme)"], k.theme or "~", k.name.casefold()))

    themes = _theme_groups(cards)
    all_effects = tuple(e for card in cards for e in card.effect_sizes)
    pulse_rows, pulse_note = _pulse(network, code_set, min_n)
    type_use, evidence_total = _evidence_use(evidence, cards, min_n)
    return NetworkReport(
        network_name=str(info["name"]),
        description=redact(str(info.get("description") or "")),
        school_year=str(info.get("school_year") or ""),
        generated=today or dt.date.today(),
        min_cell_size=min_n,
        show_names=show_names,
        headline=_headline(cards, all_effects, pulse_rows, type_use, min_n),
        at_a_glance=_at_a_glance(cards, themes, members, reflections, evidence_total, min_n),
        cards=tuple(cards),
        themes=themes,
        status_by_theme=_status_table(themes),
        effect_sizes=all_effects,
        pulse=pulse_rows,
        pulse_note=pulse_note,
        evidence_types=type_use,
        evidence_total=evidence_total,
        evidence_by_theme=_evidence_by_theme(evidence, cards, min_n),
        intersections=_intersections(evidence),
        evidence_prompts=tuple(u.prompt for u in type_use if u.prompt),
        participants_by_role=_roles_table(members, min_n),
        privacy_note=_privacy_note(min_n, show_names),
        method_notes=_method_notes(min_n),
        regions=tuple(sorted({c.region for c in cards if c.region})),
        modalities=tuple(dict.fromkeys(c.modality_label for c in cards)),
    )
