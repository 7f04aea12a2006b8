"""The ``writecarenotes`` command.

writecarenotes serve [--host H] [--port P] [--workers N]   migrate, load the demo if empty, serve (gunicorn)
                     [--services a,b]                     ... only these services' pages and API (ADR 0008)
writecarenotes demo [--reset]                              create (or reset) the demo organisation
writecarenotes createadmin --email E --name N --organisation O
writecarenotes check                                       system checks, including the deployment checks
writecarenotes services [--json]                           the service catalog and each service's status
writecarenotes manage ...                                  any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "writecarenotes.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _select_services(value: str | None) -> str | None:
    """Check a --services value (ADR 0008): None when valid, else the error message."""
    if value is None:
        return None
    from django.core.exceptions import ImproperlyConfigured

    try:
        from writecarenotes.urls import enabled_services

        enabled_services(value)
    except ImproperlyConfigured as exc:
        return str(exc)
    return None


def cmd_serve(ns) -> int:
    if ns.services is not None:
        os.environ["WCN_SERVICES"] = ns.services
    _setup()
    problem = _select_services(ns.services)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.conf import settings

    from writecarenotes.demo.build import database_is_empty, ensure_demo

    if database_is_empty() and settings.PRODUCTION:
        print("Empty database. Create the first organisation with `writecarenotes createadmin`.", flush=True)
    elif database_is_empty():
        print("Empty database: building the demo organisation ...", flush=True)
        ensure_demo(reset=False, quiet=False)
    else:
        from writecarenotes.demo.build import print_logins

        print_logins()
    bind = f"{ns.host}:{ns.port}"
    print(f"\nWriteCareNotes is serving on http://{bind}  (Ctrl+C to stop)\n", flush=True)
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "writecarenotes.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(ns.workers),
        "--worker-class",
        "sync",
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        # Starts event delivery and scheduled jobs inside each worker after the fork (ADR 0006).
        "-c",
        "python:writecarenotes.platform.events.gunicorn_hooks",
    ]
    # The default install needs no broker and no extra process: the serving process delivers events.
    os.environ["WCN_RUN_INPROCESS_WORKER"] = "1"
    os.execvp(argv[0], argv)  # noqa: S606  (replaces this process with gunicorn)
    return 0


def cmd_demo(ns) -> int:
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from writecarenotes.demo.build import ensure_demo

    ensure_demo(reset=ns.reset, quiet=False)
    return 0


def cmd_createadmin(ns) -> int:
    _setup()
    import getpass

    from django.core.exceptions import ValidationError

    from writecarenotes.demo.admin import create_provider_admin

    password = ns.password or os.environ.get("WCN_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    try:
        user = create_provider_admin(
            email=ns.email, full_name=ns.name, organisation_name=ns.organisation, password=password
        )
    except ValidationError as exc:
        for msg in exc.messages:
            print(f"error: {msg}", file=sys.stderr)
        return 2
    print(f"Created provider admin {user.email} for {ns.organisation}.")
    return 0


def cmd_check(ns) -> int:
    _setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=True, fail_level="WARNING")
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemCheckError as exc:
        print(exc, file=sys.stderr)
        return 1
    except SystemExit as exc:  # makemigrations --check exits 1 when a model change has no migration
        if exc.code:
            print("error: model changes without a migration", file=sys.stderr)
            return 1
    print("All checks passed.")
    return 0


def cmd_services(ns) -> int:
    from writecarenotes.platform.catalog.render import print_catalog

    print_catalog(as_json=ns.json)
    return 0


def cmd_manage(ns, rest: list[str]) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["writecarenotes manage", *rest])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="writecarenotes", description="WriteCareNotes care home software")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="migrate, load the demo if the database is empty, and serve")
    p.add_argument("--host", default=os.environ.get("WCN_HOST", "127.0.0.1"))
    p.add_argument("--port", default=int(os.environ.get("WCN_PORT", "8000")), type=int)
    p.add_argument("--workers", default=int(os.environ.get("WCN_WORKERS", "2")), type=int)
    p.add_argument(
        "--services",
        default=None,
        help="serve only these services' pages and API, e.g. residents,medication ('platform' for none); "
        "the platform is always served. Sets WCN_SERVICES. Default: every service",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="create the demo organisation (or reset it with --reset)")
    p.add_argument("--reset", action="store_true", help="delete and rebuild the demo organisation")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("createadmin", help="create an organisation and its provider admin")
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True, help="the admin's full name")
    p.add_argument("--organisation", required=True, help="the provider's name")
    p.add_argument("--password", help="prefer WCN_ADMIN_PASSWORD or the prompt: arguments show in `ps`")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("check", help="run the system and deployment checks")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("services", help="list the service catalog")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_services)

    sub.add_parser("manage", help="run a Django management command", add_help=False)
    sub.add_parser("audit", help="audit trail tools: `audit verify` checks the tamper-evident chain", add_help=False)
    sub.add_parser("worker", help="run event delivery and scheduled jobs (scaled installs)", add_help=False)

    if argv and argv[0] == "manage":
        return cmd_manage(None, argv[1:])
    if argv and argv[0] in {"audit", "worker"}:
        _setup()
        import importlib

        module = {"audit": "writecarenotes.platform.audit.cli", "worker": "writecarenotes.platform.events.cli"}[argv[0]]
        return importlib.import_module(module).main(argv[1:])
    ns = parser.parse_args(argv)
    return ns.func(ns)
