"""Rendering both formats and writing the report's files without leaving half-written ones."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import IlcError
from ..progress import Progress, step_counter
from .build import build_network_report
from .figures import _svg_and_png, chart_figures
from .html_page import render_html
from .pdf import render_pdf_bytes

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..network import Network
    from .model import NetworkReport


def render_both(
    report: NetworkReport,
    *,
    progress: Progress | None = None,
    html_too: bool = True,
    pdf_too: bool = True,
) -> tuple[str | None, bytes | None]:
    """HTML text and PDF bytes of a report, drawing each chart once per format."""
    from ..charts import to_png, to_svg

    figures = chart_figures(report)
    steps = len(figures) * (int(html_too) + int(pdf_too)) + int(html_too) + int(pdf_too)
    tick = step_counter(progress, steps)
    page: str | None = None
    pdf: bytes | None = None
    svgs: dict[str, str] = {}
    pngs: dict[str, bytes] = {}
    for name, draw in figures.items():
        if html_too and pdf_too:  # draw once, save twice
            svgs[name], pngs[name] = _svg_and_png(draw())
            tick()
        elif html_too:
            svgs[name] = to_svg(draw())
        else:
            pngs[name] = to_png(draw())
        tick()
    if html_too:
        page = render_html(report, charts=svgs)
        tick()
    if pdf_too:
        pdf = render_pdf_bytes(report, pngs=pngs)
        tick()
    return page, pdf


def _staged(path: Path) -> Path:
    if path.exists() and path.is_dir():
        raise IlcError(f"{path} is a folder; give a file name")
    if not path.parent.exists():
        raise IlcError(f"the folder {path.parent} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def _file_mode(path: Path) -> int:
    """The permissions a report file gets: those of the file it replaces, else the umask's."""
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_network_report(
    network: Network,
    html_path: str | os.PathLike[str] | None = None,
    pdf_path: str | os.PathLike[str] | None = None,
    *,
    min_cell_size: int | None = None,
    show_names: bool = False,
    collectives: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Build the report and write it as HTML and/or PDF; returns the files written.

    Both files are written next to their targets under temporary names and moved into
    place only when both are complete, so a failure leaves any earlier report untouched.
    ``progress(done, total)`` is called as the work advances.
    """
    if html_path is None and pdf_path is None:
        raise IlcError("give a file for the HTML report, the PDF report, or both")
    targets = {
        kind: Path(p) for kind, p in (("html", html_path), ("pdf", pdf_path)) if p is not None
    }
    suffixes = {"html": (".html", ".htm"), "pdf": (".pdf",)}
    for kind, path in targets.items():
        if path.suffix.lower() not in suffixes[kind]:
            raise IlcError(f"{path}: the {kind.upper()} report's file name should end in .{kind}")
    staged: dict[str, Path] = {}
    try:
        for kind, path in targets.items():
            staged[kind] = _staged(path)
        report = build_network_report(
            network, min_cell_size=min_cell_size, show_names=show_names, collectives=collectives
        )
        total_steps = 100

        def inner(done: int, total: int) -> None:
            if progress:
                progress(10 + int(85 * done / max(total, 1)), total_steps)

        if progress:
            progress(10, total_steps)
        page, pdf = render_both(
            report, progress=inner, html_too="html" in targets, pdf_too="pdf" in targets
        )
        if page is not None:
            staged["html"].write_text(page, encoding="utf-8")
        if pdf is not None:
            staged["pdf"].write_bytes(pdf)
        written = []
        for kind, path in targets.items():
            staged[kind].chmod(_file_mode(path))
            staged[kind].replace(path)
            written.append(path)
        if progress:
            progress(total_steps, total_steps)
        return written
    except OSError as exc:
        raise IlcError(f"could not write the report: {exc.strerror or exc}") from exc
    finally:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
