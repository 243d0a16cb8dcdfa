"""Every phase workbook reruns under papermill for one collective, as a researcher would."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
PHASES = [
    "01_gather_themes.ipynb",
    "02_form_collectives.ipynb",
    "03_design_inquiry.ipynb",
    "04_collect_evidence.ipynb",
    "05_review_progress.ipynb",
    "06_share_knowledge.ipynb",
]
COLLECTIVE = "absenteeism-1"


def _cells(path: Path) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return cells


def _section_classes(path: Path) -> list[str]:
    """The widget class of each ``workbook.section(ctx, "name")`` the workbook shows."""
    from ilc_widgets.workbook import SECTIONS

    source = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "code")
    names = re.findall(r"workbook\.section\(\s*ctx\s*,\s*[\"']([a-z_]+)[\"']", source)
    return [SECTIONS[n].target.rpartition(":")[2] for n in names]


def _plain_outputs(nb: Any) -> str:
    """The text/plain of every output of a notebook, joined (widgets show their class)."""
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                parts.append(f"ERROR {out.get('ename')}: {out.get('evalue')}")
            data = out.get("data", {})
            parts.append(str(data.get("text/plain", "")))
            parts.append(str(out.get("text", "")))
    return "\n".join(parts)


@pytest.mark.parametrize("name", PHASES)
def test_parameters_cell_names_database_and_collective(name: str) -> None:
    tagged = [c for c in _cells(WORKBOOKS / name) if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, f"{name}: one cell tagged 'parameters'"
    source = "".join(tagged[0]["source"])
    assert "database = None" in source and "collective = None" in source, name


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    from ilc_widgets.demo import load_demo

    path = tmp_path_factory.mktemp("papermill") / "demo.sqlite"
    load_demo(path).close()
    return str(path)


@pytest.mark.slow
@pytest.mark.parametrize("name", PHASES)
def test_workbook_reruns_for_one_collective(name: str, demo_database: str, tmp_path: Path) -> None:
    papermill = pytest.importorskip("papermill")
    out = tmp_path / name
    nb = papermill.execute_notebook(
        str(WORKBOOKS / name),
        str(out),
        parameters={"database": demo_database, "collective": COLLECTIVE},
        cwd=str(WORKBOOKS),
        kernel_name="python3",
        progress_bar=False,
    )
    text = _plain_outputs(nb)
    assert "ERROR" not in text, text
    assert "DeniedView" not in text, f"{name} refused the researcher's session:\n{text}"
    shown = _section_classes(WORKBOOKS / name)
    assert shown, f"{name} shows no workbook section"
    for cls in shown:
        assert f"{cls}(" in text, f"{name}: {cls} was not displayed"
    # the injected parameters cell comes right after the tagged one
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and COLLECTIVE in "".join(injected[0]["source"])


@pytest.mark.slow
def test_an_unknown_collective_stops_the_run_with_the_reason(
    demo_database: str, tmp_path: Path
) -> None:
    """In a batch loop a typo must not pass silently: papermill fails, naming the id."""
    papermill = pytest.importorskip("papermill")
    with pytest.raises(papermill.PapermillExecutionError) as failed:
        papermill.execute_notebook(
            str(WORKBOOKS / "03_design_inquiry.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"database": demo_database, "collective": "no-such-collective"},
            cwd=str(WORKBOOKS),
            kernel_name="python3",
            progress_bar=False,
        )
    assert failed.value.ename == "NotFound"
    assert "no-such-collective" in failed.value.evalue and "absenteeism-1" in failed.value.evalue
    saved = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    assert "PlacematBuilder" not in _plain_outputs(saved)


@pytest.mark.slow
def test_a_missing_database_stops_the_run_with_the_reason(tmp_path: Path) -> None:
    papermill = pytest.importorskip("papermill")
    missing = tmp_path / "nowhere.sqlite"
    with pytest.raises(papermill.PapermillExecutionError) as failed:
        papermill.execute_notebook(
            str(WORKBOOKS / "05_review_progress.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"database": str(missing), "collective": COLLECTIVE},
            cwd=str(WORKBOOKS),
            kernel_name="python3",
            progress_bar=False,
        )
    assert "ilc init" in failed.value.evalue or "does not exist" in failed.value.evalue
    assert not missing.exists()
