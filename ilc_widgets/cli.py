"""``ilc``: the command line of the kit (create, load, import, serve, link, export, report)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__, db
from .errors import IlcError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .network import Network


class ProgressBar:
    """Progress of long work on stderr: a redrawn bar on a terminal, a few lines otherwise."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        pct = 100 if total <= 0 else int(done * 100 / total)
        if self.tty:
            bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
            end = "\n" if done >= total else ""
            self.stream.write(f"\r{self.label} [{bar}] {pct:3d}% ({done}/{total}){end}")
        elif pct // 25 != self._last // 25 or done >= total:
            self.stream.write(f"{self.label}: {pct}% ({done}/{total})\n")
        self._last = pct
        self.stream.flush()


def _say(text: str) -> None:
    print(text, flush=True)


def _open(args: argparse.Namespace) -> Network:
    from .network import open_network

    return open_network(args.database)


# ---------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    """Create a new, empty network database."""
    from .network import create_network

    net = create_network(args.database, args.name)
    _say(f"Created network {net.name!r} at {db.describe_url(net.url)}")
    _say("Next: `ilc import participants FILE`, then `ilc serve`.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the demo network (and optionally serve it)."""
    from .demo import load_demo

    net = load_demo(args.database, progress=ProgressBar("Loading demo"))
    counts = net.collectives
    _say(
        f"Demo network {net.name!r} loaded at {db.describe_url(net.url)}: "
        f"{len(net.participants)} participants, {len(counts)} collectives, "
        f"{len(net.evidence)} evidence entries."
    )
    if args.serve:
        args.database = net.url
        return cmd_serve(args)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import participants or evidence from a CSV or XLSX file."""
    from .importers import read_table, suggest_column_map

    if args.kind == "participants":
        for flag, given in (
            ("--collective", args.collective is not None),
            ("--allow-duplicates", args.allow_duplicates),
            ("--day-first/--month-first", args.dayfirst is not None),
        ):
            if given:
                raise IlcError(f"{flag} applies to `ilc import evidence` only")
    net = _open(args)
    path = Path(args.file)
    explicit = dict(_pairs(args.map or []))
    table = read_table(path, path.name, sheet=args.sheet, kind=args.kind, column_map=explicit)
    column_map = {**suggest_column_map([str(c) for c in table.columns], args.kind), **explicit}
    renamed = {k: v for k, v in column_map.items() if k != v and v}
    if renamed:
        shown = ", ".join(f"{k!r} -> {v}" for k, v in renamed.items())
        print(f"Columns mapped: {shown}", file=sys.stderr)
    bar = ProgressBar(f"Importing {path.name}")
    if args.kind == "participants":
        result = net.import_participants(
            table, path.name, column_map=column_map, actor=args.actor, progress=bar
        )
    else:
        result = net.import_evidence(
            table,
            path.name,
            collective=args.collective,
            column_map=column_map,
            dayfirst=args.dayfirst,
            allow_duplicates=args.allow_duplicates,
            actor=args.actor,
            progress=bar,
        )
    for line in result.note_lines():
        print(f"note: {line}", file=sys.stderr)
    summary = result.summary()
    if result.skipped:
        summary += " --allow-duplicates imports such rows anyway."
    _say(summary)
    return 0


def _pairs(items: Sequence[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        if "=" not in item:
            raise IlcError(f"--map takes SOURCE=COLUMN, not {item!r}")
        source, column = item.split("=", 1)
        pairs.append((source.strip(), column.strip()))
    return pairs


def _base_url(args: argparse.Namespace) -> str:
    if getattr(args, "base_url", None):
        return str(args.base_url)
    host = getattr(args, "host", "127.0.0.1")
    return f"http://{host}:{getattr(args, 'port', 8866)}/"


def cmd_links(args: argparse.Namespace) -> int:
    """Print (or write) the facilitator link and one link per collective."""
    from .links import links_sheet_html, network_links

    net = _open(args)
    if args.rotate:
        net.rotate_secret(actor="ilc links --rotate")  # refused while ILC_SECRET is set
        print("New keys issued: every earlier link has stopped working.", file=sys.stderr)
    elif net.secret_source != "database":
        print(f"Links are signed with the secret in {net.secret_source}.", file=sys.stderr)
    base = _base_url(args)
    if args.html:
        Path(args.html).write_text(links_sheet_html(net, base), encoding="utf-8")
        print(f"Wrote the links sheet to {args.html}", file=sys.stderr)
    links = network_links(net, base)
    if args.json:
        json.dump([link.to_dict() for link in links], sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif not args.html:
        for link in links:
            label = "Facilitator" if link.collective is None else f"{link.name} ({link.collective})"
            _say(f"{label}:\n  {link.url}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write every table as a CSV file (and a data dictionary) into a folder."""
    from .export import export_tables

    net = _open(args)
    written = export_tables(
        net, Path(args.directory), xlsx=args.xlsx, progress=ProgressBar("Exporting")
    )
    _say(f"Wrote {len(written)} files to {args.directory}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the privacy-protected network report as HTML and/or PDF."""
    from .reports import write_network_report

    if not args.html and not args.pdf:
        raise IlcError("give --html FILE, --pdf FILE or both")
    if args.min_cell_size is not None and args.min_cell_size < 1:
        raise IlcError(f"--min-cell-size must be at least 1, not {args.min_cell_size}")
    net = _open(args)
    written = write_network_report(
        net,
        html_path=args.html,
        pdf_path=args.pdf,
        min_cell_size=args.min_cell_size,
        show_names=args.show_names,
        collectives=args.collective,
        progress=ProgressBar("Building the report"),
    )
    minimum = args.min_cell_size or net.settings.get("min_cell_size", 10)
    names = "with participant names" if args.show_names else "without participant names"
    for path in written:
        _say(f"Wrote {path}")
    _say(f"Counts and statistics about fewer than {minimum} people are suppressed; {names}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the workbooks with Voilà and print the links."""
    from .links import network_links
    from .serve import parse_ready, start_voila, wait_for_port

    ready = parse_ready(args.ready or ())
    net = _open(args)
    url = net.url
    base = _base_url(args)
    secret_source = net.secret_source  # a short ILC_SECRET is refused before Voilà starts
    read_only = db.read_only_reason(net.engine)
    proc = start_voila(
        url,
        port=args.port,
        host=args.host,
        preheat=args.preheat,
        pool_size=args.pool_size,
        ready=ready,
        fork=args.fork,
    )
    stop = {"now": False}

    def _stop(_signum: int, _frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    # Ctrl-C (or kill -INT) stops the server even when it was started from a background job
    # or a script, whose children inherit SIGINT ignored (it then ran on after its stop, and
    # its Voilà with it, still serving).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        wait_for_port(args.host, args.port, 60, proc)
        _say(f"Serving {net.name!r} with Voilà at {base} (Ctrl-C stops it)")
        if read_only:
            print(f"Nothing can be saved: {read_only}.", file=sys.stderr)
        if secret_source != "database":
            print(f"Links are signed with the secret in {secret_source}.", file=sys.stderr)
        links = network_links(net, base, intake=True)
        for link in links:
            label = {"facilitator": "Facilitator link", "intake": "Intake form"}.get(
                link.role, f"{link.name} ({link.collective})"
            )
            _say(f"{label}:\n  {link.url}")
        if not args.no_browser:
            webbrowser.open(links[0].url)
        waiting = _RoomReadiness(ready, args.host, args.port)
        while not stop["now"] and proc.poll() is None:
            waiting.check()
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        if proc.poll() is None:
            proc.terminate()  # Voilà stops on SIGTERM (SIGINT may be ignored, as above)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
    stopped = (0, None, -signal.SIGINT, -signal.SIGTERM, -signal.SIGKILL, 130)
    return 0 if proc.returncode in stopped else int(proc.returncode)


def cmd_info(args: argparse.Namespace) -> int:
    """Summarize the network: where it is, how many of everything."""
    net = _open(args)
    tables = net.tables()
    _say(f"{net.name} ({db.describe_url(net.url)})")
    for name, frame in tables.items():
        _say(f"  {name:<20} {len(frame):>7}")
    read_only = db.read_only_reason(net.engine)
    if read_only:
        _say(f"Opened read-only: {read_only}")
    if net.secret_source != "database":
        _say(f"Link secret: from {net.secret_source}")
    return 0


# ---------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ilc``."""
    parser = argparse.ArgumentParser(
        prog="ilc",
        description="ILC Workbook Kit: facilitation workbooks for Instructional Leadership "
        "Collectives.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    database_help = (
        f"SQLAlchemy URL or SQLite file path (default: $ILC_DATABASE_URL, else {db.default_path()})"
    )
    parser.add_argument("--database", default=None, help=database_help)
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    # The same two options after the subcommand (`ilc demo --database X`); SUPPRESS keeps
    # a value given before the subcommand when none is given after it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", default=argparse.SUPPRESS, help=database_help)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parsed: argparse.ArgumentParser = sub.add_parser(name, parents=[common], **kwargs)
        return parsed

    p = add_parser("init", help="create a new network database")
    p.add_argument("--name", default="ILC network", help="the network's name")
    p.set_defaults(func=cmd_init)

    p = add_parser("demo", help="load the demo network (replaces an earlier demo)")
    p.add_argument("--serve", action="store_true", help="serve it with Voilà afterwards")
    _serve_options(p)
    p.set_defaults(func=cmd_demo)

    p = add_parser("import", help="import participants or evidence from CSV/XLSX")
    p.add_argument("kind", choices=["participants", "evidence"])
    p.add_argument("file")
    p.add_argument("--collective", help="the collective the evidence belongs to")
    p.add_argument(
        "--map",
        action="append",
        metavar="SOURCE=COLUMN",
        help="map a column of the file to a column of the template (repeatable)",
    )
    p.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read (default: the first)")
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--day-first",
        dest="dayfirst",
        action="store_const",
        const=True,
        help="evidence: read dates such as 03/04/2026 as day/month (3 April)",
    )
    order.add_argument(
        "--month-first",
        dest="dayfirst",
        action="store_const",
        const=False,
        help="evidence: read dates such as 03/04/2026 as month/day (March 4)",
    )
    p.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="evidence: also import rows equal to ones already present (skipped by default)",
    )
    p.add_argument("--actor", default="ilc import", help="who is importing (for the audit log)")
    p.set_defaults(func=cmd_import, dayfirst=None)

    p = add_parser("serve", help="serve the workbooks with Voilà and print the links")
    _serve_options(p)
    p.set_defaults(func=cmd_serve)

    p = add_parser("links", help="print the facilitator and collective links")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--html", metavar="FILE", help="write a printable links sheet with QR codes")
    p.add_argument(
        "--base-url", help="the server's public address (default http://127.0.0.1:8866/)"
    )
    p.add_argument("--port", type=int, default=8866, help=argparse.SUPPRESS)
    p.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    p.add_argument(
        "--rotate", action="store_true", help="issue new keys first (every old link stops working)"
    )
    p.set_defaults(func=cmd_links)

    p = add_parser("export", help="write every table as CSV into a folder")
    p.add_argument("directory")
    p.add_argument("--xlsx", action="store_true", help="also write one XLSX workbook")
    p.set_defaults(func=cmd_export)

    p = add_parser(
        "report", help="write the network report (HTML and/or PDF, small numbers suppressed)"
    )
    p.add_argument("--html", metavar="FILE", help="write the report as one HTML page")
    p.add_argument("--pdf", metavar="FILE", help="write the report as a PDF")
    p.add_argument(
        "--min-cell-size",
        type=int,
        metavar="N",
        help="suppress counts and statistics about fewer than N people "
        "(default: the network setting, 10)",
    )
    p.add_argument(
        "--show-names", action="store_true", help="include participant names (off by default)"
    )
    p.add_argument(
        "--collective",
        action="append",
        metavar="ID",
        help="report on this collective only (repeatable; default: all)",
    )
    p.set_defaults(func=cmd_report)

    p = add_parser("info", help="summarize the network")
    p.set_defaults(func=cmd_info)

    p = add_parser("settings", help="show or change network settings (who facilitates)")
    p.add_argument("setting", choices=["facilitators", "show"], help="the setting")
    p.add_argument("action", nargs="?", choices=["list", "add", "remove"], default="list")
    p.add_argument("emails", nargs="*", metavar="EMAIL")
    p.set_defaults(func=cmd_settings)
    return parser


def cmd_settings(args: argparse.Namespace) -> int:
    """``ilc settings facilitators list|add|remove EMAIL``: who sees every collective."""
    net = _open(args)
    if args.setting == "show":
        for key, value in sorted(net.settings.items()):
            print(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        return 0
    current = net.facilitator_emails
    emails = [e.strip().lower() for e in args.emails]
    if args.action != "list" and not emails:
        raise IlcError(f"ilc settings facilitators {args.action}: give one or more emails")
    bad = [e for e in emails if "@" not in e or " " in e]
    if bad:
        raise IlcError(f"not an email address: {', '.join(bad)}")
    if args.action == "add":
        updated = current + [e for e in emails if e not in current]
    elif args.action == "remove":
        missing = [e for e in emails if e not in current]
        if missing:
            raise IlcError(f"not a facilitator of this network: {', '.join(missing)}")
        updated = [e for e in current if e not in emails]
    else:
        updated = current
    if updated != current:
        net.update_settings(actor="ilc settings", facilitators=updated)
    if updated:
        print("Facilitators (signed in through JupyterHub, they see every collective):")
        for email in updated:
            print(f"  {email}")
    else:
        print("No facilitators are listed; add one with `ilc settings facilitators add EMAIL`.")
    return 0


class _RoomReadiness:
    """Says when the warm kernels asked for with ``--ready`` are there ("12 ready")."""

    def __init__(self, ready: dict[str, int], host: str, port: int, every: float = 2.0) -> None:
        from .access import NOTEBOOKS

        self.host, self.port, self.every = host, port, every
        self.pending = {nb: n for nb, n in ready.items() if n > 0}
        self.titles = NOTEBOOKS
        self.next = 0.0
        for notebook, count in self.pending.items():
            _say(f"Getting {count} pages of {self.titles[notebook]} ready ...")

    def check(self) -> None:
        """Ask the server now and then; print each workbook's line once it is ready."""
        from .serve import read_ready

        if not self.pending or time.monotonic() < self.next:
            return
        self.next = time.monotonic() + self.every
        counts = read_ready(self.host, self.port)
        for notebook, count in list(self.pending.items()):
            if counts.get(notebook, {}).get("ready", 0) >= count:
                _say(f"{self.titles[notebook]}: {count} ready")
                del self.pending[notebook]


def _serve_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--base-url", help="public address used in the printed links")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument(
        "--no-preheat",
        dest="preheat",
        action="store_false",
        help="start kernels on request instead of keeping warm ones ready",
    )
    p.add_argument(
        "--no-fork",
        dest="fork",
        action="store_false",
        help="start each kernel as a new Python instead of forking it from a warm parent",
    )
    p.add_argument(
        "--pool-size", type=int, default=1, help="warm kernels kept ready per workbook (default 1)"
    )
    p.add_argument(
        "--ready",
        action="append",
        metavar="WORKBOOK=COUNT",
        help="keep COUNT warm kernels for a workbook a room is about to open, e.g. "
        "04_collect_evidence=12 (repeatable)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``ilc``: errors are one readable line, not a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.database is None and os.environ.get(db.ENV_URL):
        args.database = os.environ[db.ENV_URL]
    try:
        return int(args.func(args))
    except IlcError as exc:
        if args.debug:
            # Database errors hide the driver's exception (it holds SQL and row values);
            # --debug shows the whole chain.
            exc.__suppress_context__ = False
            raise
        message = str(exc)
        first, _, rest = message.partition("\n")
        print(f"ilc: error: {first}", file=sys.stderr)
        if rest:
            print(rest, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except Exception as exc:
        if args.debug:
            raise
        # The first line only: what follows it (SQLAlchemy's "[SQL: ...]", for one) may
        # carry SQL or data.
        first = str(exc).strip().partition("\n")[0][:300]
        print(
            f"ilc: error: {type(exc).__name__}: {first} (run with --debug for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
