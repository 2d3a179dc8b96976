"""The command line (a stable contract: tests and operators use it).

    python -m kpi init [--demo/--no-demo] [--scale N]
    python -m kpi import KIND FILE [--dry-run]
    python -m kpi export KIND --out FILE
    python -m kpi bench [--scale N] [--json FILE]

The store is chosen by ``RBM_DATABASE_URL`` (default: ``data/rbm.sqlite``).
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
    return parser


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
    handlers = {"init": _cmd_init}
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
