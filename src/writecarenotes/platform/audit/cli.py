"""Subcommands of `writecarenotes audit ...` (wired in writecarenotes.cli)."""


def main(argv: list[str]) -> int:
    raise SystemExit("writecarenotes audit: not available yet")
