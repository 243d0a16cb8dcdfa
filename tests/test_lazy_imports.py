"""Pages that need no DataFrame do not import pandas or numpy.

A kernel that imports pandas pays 0.35 CPU-seconds and about 30 MB before its page shows;
when a room opens its links at once that is most of the difference to a trivial page. The
home page (00), the placemat (03) and the evidence sections (04) of a collective's link are
built in a fresh process here, and the tests assert neither library was imported; the
storage layer still hands researchers DataFrames (the records the pages read are checked
against them).
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from ilc_widgets._lazy import loaded
from ilc_widgets._lazy import pd as lazy_pd
from ilc_widgets.access import access_query
from ilc_widgets.format import _blank as is_missing
from ilc_widgets.format import as_date

_PREAMBLE = """
import sys
from ilc_widgets import workbook
from ilc_widgets.session import get_context
ctx = get_context({db!r}, query_string={query!r}, environ={{"ILC_SERVE": "1"}})
assert ctx.role == "participant", ctx.role
"""
_LOADED = 'print(sorted(m for m in ("pandas", "numpy") if m in sys.modules))'


def _page_in_a_fresh_process(net, body: str) -> str:
    """Run ``body`` after opening a collective's link in a new Python; its printed lines."""
    code = net.collective_list()[0].code
    query = access_query(net.secret, collective=code)
    script = _PREAMBLE.format(db=net.url, query=query) + body
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip()


def test_a_collectives_home_and_placemat_do_not_import_pandas(demo_sqlite):
    body = (
        'shown = [workbook.home(ctx), workbook.section(ctx, "placemat")]\n'
        "assert all(w is not None for w in shown)\n" + _LOADED
    )
    assert _page_in_a_fresh_process(demo_sqlite, body) == "[]"


_BUILD_04 = """
logger = workbook.section(ctx, "evidence_logger")
coverage = workbook.section(ctx, "coverage")
log = workbook.section(ctx, "implementation_log")
shown = [r for r in logger.rows if r.shown]
assert len(shown) > 0 and sum(coverage.value.values()) > 0
logger.filter_type.value = "perceptions"
logger.go_to(1)
print(len(shown))
"""


def test_workbook_04_builds_and_filters_without_pandas(demo_sqlite):
    rows, loaded_modules = _page_in_a_fresh_process(demo_sqlite, _BUILD_04 + _LOADED).split("\n")
    assert int(rows) > 0 and loaded_modules == "[]"


def test_evidence_records_are_the_evidence_frame_as_dicts(demo_sqlite):
    code = demo_sqlite.collective_list()[0].code
    frame = demo_sqlite.evidence_frame(code, include_deleted=True)
    records = demo_sqlite.evidence_records(code, include_deleted=True)
    assert [r["id"] for r in records] == frame["id"].tolist()
    for record, row in zip(records, frame.to_dict("records"), strict=True):
        assert record["date"] == row["date"] and record["deleted"] == row["deleted"]
        assert (record["n"] is None) == pd.isna(row["n"])
        assert record["value"] == row["value"] or (
            record["value"] is None and pd.isna(row["value"])
        )
    actions = demo_sqlite.action_list(code)
    assert [a["id"] for a in actions] == demo_sqlite.implementation_log(code)["id"].tolist()


def test_member_records_are_the_members_frame_as_dicts(demo_sqlite):
    code = demo_sqlite.collective_list()[0].code
    frame = demo_sqlite.members(code)
    records = demo_sqlite.member_records(code)
    assert len(records) == len(frame) > 0
    assert [r["name"] for r in records] == frame["name"].tolist()
    assert set(records[0]) == set(frame.columns)


def test_the_lazy_module_is_the_real_one_once_used():
    assert lazy_pd.DataFrame is pd.DataFrame
    assert loaded("pandas") is pd
    assert loaded("a_module_nobody_imported") is None


def test_missing_values_are_still_recognised_with_pandas_loaded():
    for value in (None, float("nan"), pd.NA, pd.NaT, "  "):
        assert is_missing(value), value
    assert as_date(pd.Timestamp("2026-11-06")).isoformat() == "2026-11-06"
    import numpy as np

    assert as_date(np.datetime64("2026-11-06")).isoformat() == "2026-11-06"
    assert not is_missing(0) and not is_missing([1, 2])
