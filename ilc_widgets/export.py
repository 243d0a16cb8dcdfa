"""Export bundles for researchers: every table as tidy CSV (and XLSX) with a data dictionary.

What each column holds (its portable type, pandas dtype and meaning) is described once, in
:mod:`ilc_widgets.tables`; the files are written through :mod:`ilc_widgets.spreadsheet`
(the formula guard) and read back, dtypes included, with
:func:`ilc_widgets.tables.read_export`.
"""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .errors import IlcError
from .spreadsheet import GUARD_NOTE, write_csv, write_xlsx
from .tables import (
    DATA_DICTIONARY,
    csv_cells,
    described_tables,
    dictionary_rows,
    read_export,
    tidy,
    xlsx_cells,
)

if TYPE_CHECKING:
    from .network import Network
    from .progress import Progress

__all__ = [
    "BUNDLE_README",
    "DATA_DICTIONARY",
    "DICTIONARY_COLUMNS",
    "bundle_zip",
    "data_dictionary",
    "export_tables",
    "read_export",
    "research_tables",
]

#: The columns of ``data_dictionary.csv``.
DICTIONARY_COLUMNS = ["table", "column", "type", "dtype", "description"]

EVIDENCE_WITH_DELETED = (
    "evidence.csv holds every entry, deleted ones included: their deleted column is TRUE "
    "(deleted entries are kept so they can be restored). For current evidence keep the rows "
    "where deleted is FALSE; in JupyterLab, net.evidence gives exactly those."
)
EVIDENCE_CURRENT_ONLY = (
    "evidence.csv holds current entries only: deleted entries are left out (as in "
    "net.evidence), so it has no deleted or deleted_at column."
)


def research_tables(network: Network, *, include_deleted: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of the researchers' bundle, keyed by its file name, as tidy frames.

    The stored tables (:meth:`Network.tables`) with, after the placemats, their contents as
    tidy tables (``theory_of_action``, ``priorities``, ``evidence_plan``), and the derived
    ``indicator_status`` and ``effect_sizes`` exactly as the network report computes them.
    Each is also a DataFrame of the network object with the same columns; all of them are
    passed through :func:`ilc_widgets.tables.tidy`. ``include_deleted`` is passed to
    :meth:`Network.tables` (deleted evidence entries, marked by ``deleted``).
    """
    stored = network.tables(include_deleted=include_deleted)
    extra = {
        "theory_of_action": tidy("theory_of_action", network.theory_of_action),
        "priorities": tidy("priorities", network.priorities),
        "evidence_plan": tidy("evidence_plan", network.evidence_plan),
        "indicator_status": tidy("indicator_status", network.indicator_status()),
        "effect_sizes": tidy("effect_sizes", network.effect_sizes()),
    }
    ordered: dict[str, pd.DataFrame] = {}
    for name, frame in stored.items():
        if name == "audit_log":
            ordered.update(extra)
        ordered[name] = frame
    for name, frame in extra.items():
        ordered.setdefault(name, frame)
    return ordered


def data_dictionary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per exported column: ``table, column, type, dtype, description``.

    ``type`` is the portable type (``date (YYYY-MM-DD)``, ``datetime (UTC, ISO 8601)``,
    ``integer``, ``number``, ``boolean (TRUE/FALSE)``, ``text``, ``json (JSON text)``, or
    ``category, levels in order: [...]``); ``dtype`` is the pandas dtype of the tidy frame.
    """
    rows = [row for table, frame in tables.items() for row in dictionary_rows(table, frame)]
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def _with_notes(dictionary: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The dictionary plus note rows: how formula-like text is kept, which evidence it holds.

    Note rows have their table or column in parentheses (``(notes)``, ``(text cells)``).
    """
    notes = [
        {"table": "(all tables)", "column": "(text cells)", "description": GUARD_NOTE},
    ]
    if "evidence" in tables:
        held = "deleted" in tables["evidence"].columns
        text = EVIDENCE_WITH_DELETED if held else EVIDENCE_CURRENT_ONLY
        notes.append({"table": "(notes)", "column": "evidence", "description": text})
    extra = pd.DataFrame(
        [{"type": "", "dtype": "", **n} for n in notes], columns=dictionary.columns
    )
    return pd.concat([dictionary, extra], ignore_index=True)


def export_tables(
    network: Network,
    directory: Path,
    *,
    xlsx: bool = False,
    tables: dict[str, pd.DataFrame] | None = None,
    include_deleted: bool = True,
    progress: Progress | None = None,
) -> list[Path]:
    """Write each table as ``<name>.csv`` plus ``data_dictionary.csv`` into ``directory``.

    The tables are :func:`research_tables` (or ``tables``, made tidy where the schema
    knows them). In the CSV files dates are ``YYYY-MM-DD``, times ISO 8601 in UTC,
    booleans ``TRUE``/``FALSE``, JSON columns JSON text and missing values empty cells;
    :func:`ilc_widgets.tables.read_export` reads the folder back into the same frames.
    ``include_deleted`` says whether ``evidence.csv`` holds deleted entries (the dictionary
    says which it holds). Files are written to a temporary folder first and moved in at the
    end, so an export that fails half-way leaves an earlier export in ``directory`` as it was.
    """
    chosen = (
        tables if tables is not None else research_tables(network, include_deleted=include_deleted)
    )
    frames = described_tables(chosen)
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise IlcError(f"{directory} exists and is not a folder")
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=directory))
    try:
        total = len(frames) + 1 + int(xlsx)
        done = 0
        for name, frame in frames.items():
            write_csv(csv_cells(name, frame), staging / f"{name}.csv")
            done += 1
            if progress:
                progress(done, total)
        dictionary = _with_notes(data_dictionary(frames), frames)
        write_csv(dictionary, staging / "data_dictionary.csv")
        done += 1
        if xlsx:
            sheets = {name: xlsx_cells(name, frame) for name, frame in frames.items()}
            write_xlsx({**sheets, "data_dictionary": dictionary}, staging / "network.xlsx")
            done += 1
        if progress:
            progress(total, total)
        written = []
        for path in sorted(staging.iterdir()):
            final = directory / path.name
            path.replace(final)
            written.append(final)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


BUNDLE_README = f"""ILC Workbook Kit: data for researchers
=====================================

One CSV file per table (tidy: one row per thing, one column per variable), the same tables
in network.xlsx (one sheet each), and data_dictionary.csv describing every column: its
portable type, the pandas dtype and what it means. In the CSV files dates are YYYY-MM-DD,
times ISO 8601 in UTC (ending in Z), booleans TRUE/FALSE, JSON columns JSON text, and a
missing value is an empty cell. Category columns list their levels, in order, in the
dictionary's type. With pandas, the whole folder reads back with every dtype:

    from ilc_widgets.tables import read_export
    frames = read_export("<this folder>")

In JupyterLab the same tables are DataFrames of the network object:

    from ilc_widgets.network import open_network
    net = open_network("<database>")
    net.evidence, net.placemats, net.indicator_status(), net.effect_sizes(), ...

{textwrap.fill(GUARD_NOTE, 92)}

These files are NOT privacy-protected: they hold participants' names and emails and every
evidence entry. Keep them with people allowed to see them; share the network report instead.
"""


def bundle_zip(network: Network, *, xlsx: bool = True, progress: Progress | None = None) -> bytes:
    """The researchers' bundle as one zip file: the CSVs, the XLSX workbook, the dictionary.

    Built with :func:`export_tables` (so it holds exactly what ``ilc export`` writes) plus a
    short README; every file sits in a folder ``ilc-data/`` inside the zip.
    """
    import io
    import zipfile

    with tempfile.TemporaryDirectory(prefix="ilc-bundle-") as tmp:
        files = export_tables(network, Path(tmp) / "bundle", xlsx=xlsx, progress=progress)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("ilc-data/README.txt", BUNDLE_README)
            for path in files:
                archive.write(path, arcname=f"ilc-data/{path.name}")
        return buffer.getvalue()
