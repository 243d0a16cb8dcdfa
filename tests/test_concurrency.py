"""Concurrent writers never lose an update: 8 processes write at once, every row is counted."""

from __future__ import annotations

import multiprocessing as mp
import time

import pytest

from ilc_widgets.network import create_network, open_network

WRITERS = 8
EVIDENCE_PER_WRITER = 40
PLACEMAT_EDITS_PER_WRITER = 10


def _writer(url: str, tag: str, start_at: float, out: mp.Queue) -> None:
    from ilc_widgets.errors import ConflictError

    net = open_network(url)
    while time.time() < start_at:  # start together, to collide as much as possible
        time.sleep(0.001)
    conflicts = 0
    for i in range(EVIDENCE_PER_WRITER):
        net.add_evidence(
            "c-1",
            actor=tag,
            date="2026-10-01",
            evidence_type="school_processes",
            indicator="Walkthroughs",
            value=i,
            unit="visits",
            description=f"{tag} entry {i}",
        )
    for i in range(PLACEMAT_EDITS_PER_WRITER):
        while True:  # read-modify-write with the version check, as the placemat widget does
            state = net.placemat("c-1")
            state.placemat.priorities.append(f"{tag}-{i}")
            try:
                net.save_placemat("c-1", state.placemat, state.version, actor=tag)
                break
            except ConflictError:
                conflicts += 1
    net.close()
    out.put((tag, conflicts))


@pytest.mark.slow
def test_eight_processes_lose_nothing(database_url):
    net = create_network(database_url, "Concurrency")
    net.create_collective("c-1", "Busy collective")
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    start_at = time.time() + 4
    procs = [
        ctx.Process(target=_writer, args=(database_url, f"w{n}", start_at, out))
        for n in range(WRITERS)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=240)
        assert proc.exitcode == 0, f"a writer failed (exit code {proc.exitcode})"
    conflicts = dict(out.get(timeout=5) for _ in procs)

    evidence = net.evidence_frame("c-1")
    expected_rows = WRITERS * EVIDENCE_PER_WRITER
    per_writer = evidence.groupby("entered_by").size()
    state = net.placemat("c-1")
    expected_edits = WRITERS * PLACEMAT_EDITS_PER_WRITER
    lost = expected_rows - len(evidence) + expected_edits - len(state.placemat.priorities)
    backend = net.engine.dialect.name
    print(
        f"\n[concurrency/{backend}] writers={WRITERS} evidence rows={len(evidence)}/"
        f"{expected_rows} placemat edits={len(state.placemat.priorities)}/{expected_edits} "
        f"conflicts retried={sum(conflicts.values())} lost={lost}"
    )
    assert len(evidence) == expected_rows
    assert (per_writer == EVIDENCE_PER_WRITER).all()
    assert len(state.placemat.priorities) == expected_edits
    assert len(set(state.placemat.priorities)) == expected_edits
    assert state.version == expected_edits
    assert len(net.placemat_history("c-1")) == expected_edits
    assert lost == 0
    net.close()
