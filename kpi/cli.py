"""The command line (a stable contract: tests and operators use it).

    python -m kpi init [--demo/--no-demo] [--scale N]
    python -m kpi import KIND FILE [--dry-run] --user NAME
    python -m kpi export KIND --out FILE [--user NAME]
    python -m kpi users grant IDENTITY ROLE [--sector S] --user NAME
    python -m kpi users revoke IDENTITY ROLE [--sector S] --user NAME
    python -m kpi users list
    python -m kpi bench [--scale N ...] [--runs K] [--json FILE] [--profile DIR]
    python -m kpi audit [--years K] [--page P ...] [--singles-only]

The store is chosen by ``RBM_DATABASE_URL`` (default: ``data/rbm.sqlite``). The command line is the
operator's channel: it acts with every role (kpi.access.operator), and every write names its operator
(``--user``), recorded with the operating-system account as a command-line change.
"""
from __future__ import annotations

import argparse
import sys
import time

from kpi.config import DATABASE_URL_ENV, DEMO_SEED, database_url


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kpi",
        description=f"Results dashboard store and tools. The store is {DATABASE_URL_ENV} "
                    "(default: the SQLite file data/rbm.sqlite).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser("init", help="create or migrate the store, load reference and demo data",
                          description="Create or migrate the store, load the reference data and (by default) "
                                      "the synthetic demo data. Safe to run again: nothing is duplicated.")
    init.add_argument("--demo", action=argparse.BooleanOptionalAction, default=True,
                      help="load synthetic demo data into a store that has none (default: --demo)")
    init.add_argument("--scale", type=int, default=1, metavar="N",
                      help="multiply the demo staff and records by N (benchmarks; default 1)")
    init.add_argument("--seed", type=int, default=DEMO_SEED, help=f"demo data seed (default {DEMO_SEED})")
    _add_transfer_parsers(sub)
    _add_users_parser(sub)
    _add_bench_parser(sub)
    _add_audit_parser(sub)
    _add_deck_parser(sub)
    return parser


def _add_deck_parser(sub) -> None:
    from kpi.config import CURRENT_CYCLE, YEARS_SHOWN, reporting_year

    deck = sub.add_parser(
        "export-deck", help="a Council sequence or snapshot as a PowerPoint deck or a PDF progress report",
        description="Write a sequence of the Council presentation (live data) or a frozen snapshot as a PowerPoint "
                    "deck (.pptx: a slide per view, native charts, reasons and sources in the notes) or as the "
                    "annual progress report (.pdf).")
    deck.add_argument("sequence", metavar="SEQUENCE", nargs="?", default="default",
                      help="'default' (scorecard, goals, every indicator needing attention) or a saved sequence's name")
    deck.add_argument("--snapshot", metavar="NAME", default=None, help="a frozen snapshot instead of live data")
    deck.add_argument("--out", metavar="FILE", required=True, help="the file to write, ending in .pptx or .pdf")
    deck.add_argument("--cycle", default=CURRENT_CYCLE, help=f"plan cycle (default {CURRENT_CYCLE})")
    try:
        year = reporting_year()
    except ValueError:
        year = None  # a bad setting must not stop --help or other commands: export-deck says why when it runs
    deck.add_argument("--year", type=int, default=year, help="status as of (default %(default)s, the reporting year)")
    deck.add_argument("--years", default=f"{YEARS_SHOWN[0]}-{YEARS_SHOWN[1]}", metavar="FIRST-LAST",
                      help="years the charts show (default %(default)s)")
    deck.add_argument("--provisional", action="store_true", help="include provisional values (default: validated only)")


def _cmd_deck(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kpi.config import reporting_year
    from kpi.deck import export

    try:
        first, last = (int(y) for y in args.years.split("-"))
    except ValueError:
        print(f"error: --years {args.years!r}: expected FIRST-LAST, such as 2015-2027", file=sys.stderr)
        return 2
    try:
        year = args.year if args.year is not None else reporting_year()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    engine = _open_store()
    if engine is None:
        return 2
    try:
        slides = export(engine, Path(args.out), sequence=args.sequence, snapshot=args.snapshot, cycle=args.cycle,
                        year=year, years=(first, last), validated_only=not args.provisional)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"wrote {args.out}: {slides} slides" + (f" of snapshot “{args.snapshot}”" if args.snapshot else ""))
    return 0


def _add_users_parser(sub) -> None:
    from kpi.access import GRANTABLE_ROLES
    from kpi.dimensions import SECTOR_CODES

    roles = ", ".join(GRANTABLE_ROLES)
    users = sub.add_parser("users", help="grant, revoke and list roles",
                           description="Roles are granted to a verified identity: the e-mail address (or the "
                                       f"subject) the identity provider vouches for. Roles: {roles}. The first "
                                       "administrator is granted here.")
    verbs = users.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb, text in (("grant", "grant ROLE to IDENTITY"), ("revoke", "revoke ROLE from IDENTITY")):
        cmd = verbs.add_parser(verb, help=text, description=text.capitalize() + ".")
        cmd.add_argument("identity", metavar="IDENTITY", help="e-mail address (or the provider's subject)")
        cmd.add_argument("role", metavar="ROLE", choices=GRANTABLE_ROLES, help=f"one of {roles}")
        cmd.add_argument("--sector", choices=SECTOR_CODES, default=None,
                         help="limit a data steward to one Sector's indicators")
        cmd.add_argument("--user", required=True, help="who makes the change (recorded with the OS account)")
    verbs.add_parser("list", help="the roles in force", description="List the roles in force.")


def _cmd_users(args: argparse.Namespace) -> int:
    from kpi import access

    engine = _open_store()
    if engine is None:
        return 2
    try:
        if args.verb == "list":
            grants = access.list_grants(engine)
            for row in grants.iter_rows(named=True):
                sector = f" ({row['sector']})" if row["sector"] else ""
                print(f"{row['identity']}\t{row['role']}{sector}\tgranted by {row['granted_by']} "
                      f"on {row['granted_at']:%Y-%m-%d %H:%M}")
            print(f"{grants.height} role(s) in force")
            return 0
        actor = access.operator(args.user)
        if args.verb == "grant":
            done = access.grant(engine, actor, args.identity, args.role, args.sector)
            print(f"granted {args.role} to {access.normalise_identity(args.identity)}" if done
                  else f"{access.normalise_identity(args.identity)} already has {args.role}")
        else:
            n = access.revoke(engine, actor, args.identity, args.role, args.sector)
            print(f"revoked {n} {args.role} grant(s) of {access.normalise_identity(args.identity)}")
        return 0
    except (ValueError, access.AccessDenied) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _add_bench_parser(sub) -> None:
    # The benchmark is tooling beside the product (tools/, not kpi/); imported here, not at the top, so that
    # importing kpi.cli loads nothing of it. tools.bench imports only the standard library and kpi.config.
    from tools.bench import add_arguments

    add_arguments(sub.add_parser(
        "bench", help="time every page at 1, 10 and 100 times the demo size",
        description="Build (or reuse, under .bench/) a demo store per scale, then time loading the frames, each "
                    "page's cold and warm run on the server (AppTest), the same aggregation in plain Polars and "
                    "the peak memory. Prints a table per scale; --json FILE writes the figures."))


def _add_audit_parser(sub) -> None:
    audit = sub.add_parser(
        "audit", help="prove the workforce pages reveal no hidden count (the disclosure audit)",
        description="Protect every workforce page for every audited selection (each filter value, Sector x grade "
                    "category x gender, duty-station group x gender) of the latest years, and audit each view "
                    "with each view one filter wider by linear programming. Exit 1 on any finding.")
    audit.add_argument("--years", type=int, default=3, help="the latest K years (default 3)")
    audit.add_argument("--page", action="append", help="a page (composition, gender, geography, field, hr); "
                                                       "repeat for several; default all")
    audit.add_argument("--singles-only", action="store_true",
                       help="each filter value alone, without the combinations")


def _cmd_audit(args: argparse.Namespace) -> int:
    from kpi.workforce_pages import PAGES, audit_command

    return audit_command(years=args.years, pages=args.page or list(PAGES), combinations=not args.singles_only)


def _cmd_bench(args: argparse.Namespace) -> int:
    from tools.bench import run_command

    return run_command(args)


def _add_transfer_parsers(sub) -> None:
    from kpi.transfer import KINDS

    kinds = ", ".join(KINDS)
    imp = sub.add_parser(
        "import", help=f"import a CSV or XLSX file of KIND ({kinds}); all or nothing",
        description="Import a CSV or XLSX file of records. Every row is checked first: on any problem nothing "
                    "is written, every problem is printed (file, row, column, value, what was expected) and "
                    f"the exit code is 1. Templates: data/templates/KIND.csv. Kinds: {kinds}.")
    imp.add_argument("kind", metavar="KIND", choices=list(KINDS), help=f"what the file holds: {kinds}")
    imp.add_argument("file", metavar="FILE", help="the .csv or .xlsx file")
    imp.add_argument("--dry-run", action="store_true", help="check and count what would change; write nothing")
    imp.add_argument("--user", required=True, help="who imports (recorded in the change log with the "
                                                    "operating-system account)")
    from kpi.transfer.limits import DEFAULT_LIMITS

    bounds = imp.add_argument_group("limits", "what one import may cost; an operator may raise them")
    for name, text in (("max_bytes", "bytes of the file"), ("max_unpacked_bytes", "bytes an .xlsx unpacks to"),
                       ("max_rows", "rows of data"), ("max_cell_chars", "characters in a cell"),
                       ("max_problems", "problems reported before checking stops")):
        bounds.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(DEFAULT_LIMITS, name),
                            metavar="N", help=f"{text} (default {getattr(DEFAULT_LIMITS, name):,})")
    bounds.add_argument("--max-seconds", type=float, default=DEFAULT_LIMITS.max_seconds, metavar="S",
                        help=f"seconds of checking (default {DEFAULT_LIMITS.max_seconds:g})")
    exp = sub.add_parser(
        "export", help=f"export every record of KIND ({kinds}) as CSV or XLSX",
        description="Export every record of a kind in the columns of its import template (the file imports "
                    f"back unchanged). Kinds: {kinds}.")
    exp.add_argument("kind", metavar="KIND", choices=list(KINDS), help=f"what to export: {kinds}")
    exp.add_argument("--out", metavar="FILE", required=True, help="the file to write, ending in .csv or .xlsx")
    exp.add_argument("--user", default=None, help="who exports (default: the operating-system account)")


def _open_store():
    """An engine on the store, or None (with a message) when the store has no schema yet."""
    from kpi.store import migrate
    from kpi.store.engine import make_engine

    engine = make_engine()
    if migrate.current_revision(engine) is None:
        print(f"error: the store {engine.url.render_as_string(hide_password=True)} is empty: "
              "run `python -m kpi init` first", file=sys.stderr)
        engine.dispose()
        return None
    return engine


def _cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kpi.access import AccessDenied, operator
    from kpi.transfer import run_import
    from kpi.store.bulk import StoreBusy
    from kpi.transfer.limits import ImportLimits

    path = Path(args.file)
    if not path.is_file():
        print(f"error: no such file: {path}", file=sys.stderr)
        return 2
    engine = _open_store()
    if engine is None:
        return 2
    started = time.perf_counter()
    try:
        limits = ImportLimits(max_bytes=args.max_bytes, max_unpacked_bytes=args.max_unpacked_bytes,
                              max_rows=args.max_rows, max_cell_chars=args.max_cell_chars,
                              max_problems=args.max_problems, max_seconds=args.max_seconds)
        result = run_import(engine, args.kind, path, actor=operator(args.user), dry_run=args.dry_run,
                            limits=limits)
    except AccessDenied as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except StoreBusy as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    finally:
        engine.dispose()
    took = time.perf_counter() - started
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{path.name} ({args.kind}, {result.rows:,} rows): {result.summary()}", file=sys.stderr)
        return 1
    batch = f"; batch {result.batch_id}" if result.batch_id is not None else ""
    print(f"{path.name} ({args.kind}, {result.rows:,} rows): {result.summary()}{batch}; {took:.1f} s")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kpi.access import operator, os_account
    from kpi.transfer import run_export

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        print(f"error: cannot export to {out.name}: the file name must end in .csv or .xlsx", file=sys.stderr)
        return 2
    engine = _open_store()
    if engine is None:
        return 2
    try:
        rows = run_export(engine, args.kind, out, actor=operator(args.user or os_account()))
    finally:
        engine.dispose()
    print(f"exported {rows:,} {args.kind} rows to {out}")
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from kpi.bootstrap import initialise
    from kpi.store.engine import make_engine

    started = time.perf_counter()
    engine = make_engine()
    report = initialise(engine, demo=args.demo, scale=args.scale, seed=args.seed)
    engine.dispose()
    took = time.perf_counter() - started
    print(f"store: {engine.url.render_as_string(hide_password=True)}")
    print(f"schema at revision {report.revision}")
    print("reference data: " + ("loaded" if report.reference_loaded else "unchanged"))
    if report.demo_rows:
        print("demo data (synthetic): " + ", ".join(f"{k} {v:,}" for k, v in report.demo_rows.items()))
    elif args.demo:
        print("demo data: already present")
    print(f"computed indicator values: {report.computed_rows:,}; data version {report.data_version}; {took:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    handlers = {"init": _cmd_init, "import": _cmd_import, "export": _cmd_export, "users": _cmd_users,
                "bench": _cmd_bench, "audit": _cmd_audit, "export-deck": _cmd_deck}
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
