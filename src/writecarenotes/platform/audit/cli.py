"""Subcommands of `writecarenotes audit ...` (wired in writecarenotes.cli).

writecarenotes audit verify [--home ID]   re-compute every hash chain; exit 1 at the first broken record
"""

from __future__ import annotations

import argparse
import sys


def _verify(ns) -> int:
    from writecarenotes.platform.audit.services import verify

    reports = verify(ns.home)
    broken = [r for r in reports if not r.ok]
    for r in reports:
        if r.ok:
            print(f"ok      {r.chain}: {r.records} records, head seq {r.head_seq} hash {r.head_hash}")
        else:
            print(
                f"BROKEN  {r.chain}: first broken record seq {r.broken_seq}"
                f"{f' (id {r.broken_id})' if r.broken_id else ''}: {r.problem}"
            )
    total = sum(r.records for r in reports)
    if broken:
        print(f"{len(broken)} of {len(reports)} chains broken.", file=sys.stderr)
        return 1
    print(f"All {len(reports)} chains intact ({total} records).")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="writecarenotes audit", description="Audit trail tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("verify", help="re-compute the tamper-evident hash chains and report the first broken record")
    p.add_argument("--home", type=int, help="only the chain of this care home (its id)")
    p.set_defaults(func=_verify)
    ns = parser.parse_args(argv)
    return ns.func(ns)
