"""Generate docs/services/*.md from the service catalog, or check that they are up to date."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from writecarenotes.platform.catalog.render import DOCS_DIR, docs_differences, docs_files, write_docs


class Command(BaseCommand):
    help = "Write docs/services/*.md from services.toml (--check: fail if they are out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the docs are out of date")
        parser.add_argument("--dir", type=Path, default=DOCS_DIR, help=f"where the docs live (default {DOCS_DIR})")

    def handle(self, *args, **options):
        check, dir_ = options["check"], options["dir"]
        files = docs_files()
        if check:
            problems = docs_differences(dir_, files)
            if problems:
                raise CommandError(
                    "docs/services is out of date; run `writecarenotes manage catalog_docs`:\n  "
                    + "\n  ".join(problems)
                )
            self.stdout.write(f"docs/services is up to date ({len(files)} files).")
            return
        changed = write_docs(dir_, files)
        if changed:
            self.stdout.write(f"Updated {len(changed)} file(s) in {dir_}: {', '.join(changed)}")
        else:
            self.stdout.write(f"docs/services is already up to date ({len(files)} files).")
