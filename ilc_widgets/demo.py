"""The demo network: a season of a fictional regional network, loaded in one command."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from . import db
from .errors import IlcError
from .network import Network, create_network, open_network
from .placemat import Placemat
from .progress import Progress, step_counter


def demo_dir() -> Path:
    """The folder of the demo network's files (source tree, or the copy in the wheel)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "data_templates" / "demo", here / "_data_templates" / "demo"):
        if (candidate / "participants.csv").exists():
            return candidate
    raise IlcError("the demo network's files are missing from this installation")


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def load_demo(database: str | Path | None = None, *, progress: Progress | None = None) -> Network:
    """Load the demo network into ``database`` and return it.

    An earlier demo at the same place is replaced; a real network is never touched.
    SQLite demos are built in a temporary file and moved into place only when complete.
    """
    url = db.resolve_url(database)
    existing = _existing_network(url)
    if existing is not None and not existing.settings.get("demo"):
        raise IlcError(
            f"{db.describe_url(url)} holds the network {existing.name!r}, which is not the "
            "demo; give `ilc demo` another --database"
        )
    if url.startswith("sqlite:///"):
        target = Path(url[len("sqlite:///") :])
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".demo-", suffix=".sqlite", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()
        try:
            net = _build(f"sqlite:///{tmp}", progress)
            net.close()
            if existing is not None:
                existing.close()
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            tmp.replace(target)
        finally:
            for path in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                path.unlink(missing_ok=True)
        return open_network(url)
    if existing is not None:
        _clear(existing)
    return _build(url, progress)


def _existing_network(url: str) -> Network | None:
    try:
        return open_network(url)
    except IlcError:
        return None


def _clear(net: Network) -> None:
    from .models import Base

    with db.transaction(net.engine, write=True) as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    net.close()


def _build(url: str, progress: Progress | None) -> Network:
    folder = demo_dir()
    meta = json.loads((folder / "network.json").read_text(encoding="utf-8"))
    settings = {**meta.get("settings", {}), "demo": True}
    cycle = meta.get("cycle_start")
    net = create_network(
        url,
        meta["name"],
        description=meta.get("description", ""),
        school_year=meta.get("school_year", ""),
        cycle_start=dt.date.fromisoformat(cycle) if cycle else None,
        settings=settings,
    )
    tick = step_counter(progress, 8)
    actor = "demo loader"
    participants = _csv(folder, "participants.csv")
    net.add_participants(participants, actor=actor, source="demo")
    themes = [t for t in dict.fromkeys(participants["theme"]) if t]
    net.accept_themes(
        dict(zip(participants["participant_id"], participants["theme"], strict=True)),
        [{"name": t} for t in themes],
        actor=actor,
    )
    tick()
    collectives = _csv(folder, "collectives.csv")
    metas = [
        {
            "code": r["collective"],
            "name": r["name"],
            "theme": r["theme"],
            "region": r["region"],
            "modality": r["modality"],
            "facilitator_name": r["facilitator_name"],
            "facilitator_email": r["facilitator_email"],
        }
        for r in collectives.to_dict("records")
    ]
    net.save_plan(_csv(folder, "memberships.csv"), metas, actor=actor)
    tick()
    for code in collectives["collective"]:
        path = folder / "placemats" / f"{code}.json"
        if path.exists():
            document = json.loads(path.read_text(encoding="utf-8"))
            net.save_placemat(code, Placemat.from_dict(document), 0, actor=actor)
    tick()
    net.import_evidence(folder / "evidence.csv", "evidence.csv", actor=actor)
    tick()
    scores = _csv(folder, "scores.csv")
    for (code, assessment, phase), group in scores.groupby(
        ["collective", "assessment", "phase"], sort=True
    ):
        pairs = list(zip(group["student_ref"], group["score"].astype(float), strict=True))
        net.add_scores(str(code), str(assessment), str(phase), pairs, actor=actor)
    tick()
    for r in _csv(folder, "implementation_log.csv").to_dict("records"):
        net.add_action(
            r["collective"], r["date"], r["action"], r["toa_step"], actor=r["entered_by"]
        )
    tick()
    for r in _csv(folder, "reflections.csv").to_dict("records"):
        net.add_reflection(
            r["collective"],
            r["meeting_date"],
            went_well=r["went_well"],
            didnt_go_well=r["didnt_go_well"],
            learned=r["learned"],
            adjust=r["adjust"],
            actor=r["entered_by"],
        )
    tick()
    pulse = _csv(folder, "pulse_responses.csv")
    for (code, who, wave), group in pulse.groupby(["collective", "participant_id", "wave"]):
        answers = dict(zip(group["item_id"], group["score"].astype(int), strict=True))
        net.submit_pulse(str(code), str(who), str(wave), answers, actor=actor)
    tick()
    return net
