"""Database triggers that make the audit tables append-only (installed by migration 0002).

PostgreSQL: a row trigger refuses UPDATE and DELETE, a statement trigger refuses TRUNCATE.
SQLite: BEFORE UPDATE / BEFORE DELETE triggers abort. Only a role that may change the schema
(the owner, running migrations) can switch them off: production runs the application with a
role that owns nothing (docs/decisions/0005-audit-trail.md).

``triggers_disabled`` is for two callers only: Django's ``flush`` under tests (see
``allow_test_flush``) and tests that play an attacker with database access.
"""

from __future__ import annotations

from contextlib import contextmanager

TABLES = ("audit_auditrecord", "audit_recordversion")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION wcn_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _pg_create(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION wcn_audit_append_only();",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION wcn_audit_append_only();",
    ]


def _sqlite_create(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update;",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'audit rows are append-only: UPDATE on {table} refused'); END;",
        f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'audit rows are append-only: DELETE on {table} refused'); END;",
    ]


def create_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [PG_FUNCTION] + [s for t in TABLES for s in _pg_create(t)]
    if vendor == "sqlite":
        return [s for t in TABLES for s in _sqlite_create(t)]
    return []


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        out = [f"DROP TRIGGER IF EXISTS {t}_{n} ON {t};" for t in TABLES for n in ("no_change", "no_truncate")]
        return out + ["DROP FUNCTION IF EXISTS wcn_audit_append_only();"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {t}_{n};" for t in TABLES for n in ("no_update", "no_delete")]
    return []


def install(schema_editor) -> None:
    for sql in create_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def uninstall(schema_editor) -> None:
    for sql in drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


@contextmanager
def triggers_disabled(connection):
    """Switch the guard off inside the caller's transaction, and back on afterwards."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            for t in TABLES:
                cursor.execute(f"ALTER TABLE {t} DISABLE TRIGGER USER;")
        else:
            for sql in drop_sql(vendor):
                cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                for t in TABLES:
                    cursor.execute(f"ALTER TABLE {t} ENABLE TRIGGER USER;")
            else:
                for sql in create_sql(vendor):
                    cursor.execute(sql)


def allow_test_flush() -> None:
    """Let Django's test ``flush`` (TransactionTestCase, live_server) empty the audit tables.

    Called from tests/conftest.py only; production code never erases audit rows.
    """
    from django.db import transaction
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush
    if getattr(original, "wcn_audit_wrapped", False):
        return

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias):
            with triggers_disabled(self.connection):
                original(self, sql_list)

    execute_sql_flush.wcn_audit_wrapped = True  # type: ignore[attr-defined]
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
