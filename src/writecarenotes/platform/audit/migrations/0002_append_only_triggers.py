"""Audit rows are append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

The SQL lives in audit/dbguard.py so that tests and the test-only flush use the same text.
"""

from django.db import migrations


def install(apps, schema_editor):
    from writecarenotes.platform.audit.dbguard import install as _install

    _install(schema_editor)


def uninstall(apps, schema_editor):
    from writecarenotes.platform.audit.dbguard import uninstall as _uninstall

    _uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
