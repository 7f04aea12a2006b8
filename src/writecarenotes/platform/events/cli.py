"""Subcommands of `writecarenotes events ...` (wired in writecarenotes.cli)."""


def main(argv: list[str]) -> int:
    raise SystemExit("writecarenotes events: not available yet")
