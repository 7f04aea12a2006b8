"""The audit trail's core: records written with the change, reasons, the hash chain, `audit verify`,
and the append-only guard in the database."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction

from tests import factories as f
from writecarenotes.platform.audit import chain as audit_chain
from writecarenotes.platform.audit import cli as audit_cli
from writecarenotes.platform.audit.dbguard import triggers_disabled
from writecarenotes.platform.audit.models import AuditRecord, ChainHead
from writecarenotes.platform.audit.services import (
    NotInTransaction,
    acting_as_system,
    record_change,
    record_read,
    verify,
)
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.tenancy.scope import acting_for


def rename_unit(unit: Unit, name: str, reason: str = "") -> None:
    """A tiny service function as other contexts will write them."""
    with transaction.atomic():
        before = {"name": unit.name}
        unit.name = name
        unit.save()
        record_change("unit.rename", target=unit, before=before, after={"name": name}, reason=reason)


@pytest.fixture
def org_home(db):
    org = f.organisation()
    home = f.home(org)
    unit, _ = f.unit_with_room(home)
    return org, home, unit


def _five_changes(home, unit) -> list[AuditRecord]:
    with acting_as_system("test"), acting_for([home]):
        for i in range(5):
            rename_unit(unit, f"Floor {i}")
    return list(AuditRecord.objects.filter(chain=f"home:{home.pk}").order_by("seq"))


def _sql(statement: str, params: list) -> None:
    with triggers_disabled(connection), connection.cursor() as cur:
        cur.execute(statement, params)


def _only_report(home) -> audit_chain.ChainReport:
    (report,) = verify(home.pk)
    return report


def test_change_and_record_commit_together_and_roll_back_together(org_home):
    org, home, unit = org_home
    with acting_as_system("test"), acting_for([home]):
        rename_unit(unit, "Garden wing", reason="")
        with pytest.raises(RuntimeError), transaction.atomic():
            unit.name = "Never saved"
            unit.save()
            record_change("unit.rename", target=unit, before={"name": "Garden wing"}, after={"name": "Never saved"})
            raise RuntimeError("the change fails after the record was written")
        unit.refresh_from_db()
    assert unit.name == "Garden wing"
    rows = list(AuditRecord.objects.filter(target_type="tenancy.unit", target_id=str(unit.pk)))
    assert [(r.action, r.before, r.after) for r in rows] == [
        ("unit.rename", {"name": "Ground floor"}, {"name": "Garden wing"})
    ]
    r = rows[0]
    assert (r.home_id, r.organisation_id, r.chain, r.kind) == (home.pk, org.pk, f"home:{home.pk}", "change")
    assert (r.actor_kind, r.system_reason) == ("system", "test")


def test_reason_required_is_enforced(org_home):
    _, home, unit = org_home
    with acting_for([home]), pytest.raises(ValueError, match="reason"), transaction.atomic():
        record_change("unit.rename", target=unit, before={}, after={}, reason="  ", reason_required=True)
    with acting_for([home]), transaction.atomic():
        rec = record_change(
            "unit.rename", target=unit, before={}, after={}, reason="typo in the name", reason_required=True
        )
    assert rec.reason == "typo in the name"


@pytest.mark.django_db(transaction=True)
def test_record_change_refuses_to_run_outside_a_transaction():
    org = f.organisation()
    home = f.home(org)
    assert not connection.in_atomic_block
    with pytest.raises(NotInTransaction):
        record_change("x.y", target=("tenancy.carehome", home.pk), home=home, before=None, after={"a": 1})
    assert not AuditRecord.objects.exists()
    # A row is left for the test-only flush to remove (the triggers would refuse a plain DELETE).
    with transaction.atomic():
        record_change("x.y", target=("tenancy.carehome", home.pk), home=home, before=None, after={"a": 1})
    assert AuditRecord.objects.count() == 1


def test_read_of_a_resident_record_is_recorded(world, client_for):
    with acting_as_system("test"):
        record_read("residents.resident", world.resident.pk, home=world.home, part="medication", label="Evans")
    r = AuditRecord.objects.get(kind="read")
    assert (r.subject_type, r.subject_id, r.part, r.home_id) == (
        "residents.resident",
        str(world.resident.pk),
        "medication",
        world.home.pk,
    )
    assert r.at is not None


def test_chain_links_each_record_to_the_previous_and_verify_passes(org_home, capsys):
    _, home, unit = org_home
    rows = _five_changes(home, unit)
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == audit_chain.GENESIS
    assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, 5))
    report = _only_report(home)
    assert report.ok and report.records == 5 and report.head_hash == rows[-1].hash
    assert audit_cli.main(["verify", "--home", str(home.pk)]) == 0
    assert "intact" in capsys.readouterr().out


def test_edited_record_is_detected(org_home, capsys):
    _, home, unit = org_home
    rows = _five_changes(home, unit)
    _sql("UPDATE audit_auditrecord SET after = %s WHERE id = %s", [json.dumps({"name": "Forged"}), rows[2].pk])
    report = _only_report(home)
    assert (report.broken_seq, report.broken_id) == (3, rows[2].pk)
    assert "hash" in report.problem
    assert audit_cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN  home:{home.pk}: first broken record seq 3" in out


def test_deleted_record_is_detected(org_home):
    _, home, unit = org_home
    rows = _five_changes(home, unit)
    _sql("DELETE FROM audit_auditrecord WHERE id = %s", [rows[1].pk])
    report = _only_report(home)
    assert (report.broken_seq, report.broken_id) == (3, rows[2].pk)
    assert "missing" in report.problem


def test_deleted_last_record_is_detected(org_home):
    _, home, unit = org_home
    rows = _five_changes(home, unit)
    _sql("DELETE FROM audit_auditrecord WHERE id = %s", [rows[4].pk])
    report = _only_report(home)
    assert report.broken_seq == 5 and "deleted" in report.problem


def test_reordered_records_are_detected(org_home):
    _, home, unit = org_home
    rows = _five_changes(home, unit)
    # Swap records 2 and 3 (their seq numbers), as an attacker rewriting the order would.
    _sql("UPDATE audit_auditrecord SET seq = 1000 WHERE id = %s", [rows[1].pk])
    _sql("UPDATE audit_auditrecord SET seq = 2 WHERE id = %s", [rows[2].pk])
    _sql("UPDATE audit_auditrecord SET seq = 3 WHERE id = %s", [rows[1].pk])
    report = _only_report(home)
    assert (report.broken_seq, report.broken_id) == (2, rows[2].pk)


def test_inserted_record_is_detected_even_with_a_valid_hash(org_home):
    _, home, unit = org_home
    rows = _five_changes(home, unit)
    # Make room after record 2 and insert a forged record whose hash is correctly computed.
    for r in reversed(rows[2:]):
        _sql("UPDATE audit_auditrecord SET seq = seq + 1 WHERE id = %s", [r.pk])
    forged = {k: getattr(rows[1], k) for k in audit_chain.HASHED_FIELDS if k != "home_id"}
    forged.update(home_id=home.pk, seq=3, prev_hash=rows[1].hash, after={"name": "Forged"}, reason="")
    forged["hash"] = audit_chain.compute_hash(forged)
    with triggers_disabled(connection):
        AuditRecord.objects.create(**forged)
    report = _only_report(home)
    assert report.broken_seq == 3 and report.broken_id != rows[2].pk
    assert "inserted" in report.problem


def test_record_appended_outside_the_application_is_detected(org_home):
    _, home, unit = org_home
    rows = _five_changes(home, unit)
    extra = {k: getattr(rows[4], k) for k in audit_chain.HASHED_FIELDS if k != "home_id"}
    extra.update(home_id=home.pk, seq=6, prev_hash=rows[4].hash)
    extra["hash"] = audit_chain.compute_hash(extra)
    AuditRecord.objects.create(**extra)  # an INSERT: the triggers only refuse UPDATE and DELETE
    report = _only_report(home)
    assert not report.ok and "not written by the application" in report.problem


def test_each_home_has_its_own_chain(org_home):
    org, home, unit = org_home
    other = f.home(org)
    other_unit, _ = f.unit_with_room(other)
    with acting_as_system("test"), acting_for([home, other]):
        rename_unit(unit, "A")
        rename_unit(other_unit, "B")
        rename_unit(unit, "C")
    assert ChainHead.objects.get(chain=f"home:{home.pk}").seq == 2
    assert ChainHead.objects.get(chain=f"home:{other.pk}").seq == 1
    assert all(r.ok for r in verify())


def _refused(statement: str, params: list) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement, params)


def test_database_refuses_to_update_or_delete_audit_rows(org_home):
    """SQLite (the default install) and PostgreSQL both: triggers from migration 0002."""
    _, home, unit = org_home
    rows = _five_changes(home, unit)
    _refused("UPDATE audit_auditrecord SET reason = %s WHERE id = %s", ["rewritten", rows[0].pk])
    _refused("DELETE FROM audit_auditrecord WHERE id = %s", [rows[0].pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=rows[0].pk).update(reason="via the ORM")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=rows[0].pk).delete()
    assert AuditRecord.objects.get(pk=rows[0].pk).reason == ""
    assert _only_report(home).ok


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers exist only on PostgreSQL")
def test_postgresql_refuses_truncate(org_home):
    _, home, unit = org_home
    _five_changes(home, unit)
    _refused("TRUNCATE audit_auditrecord", [])
    assert AuditRecord.objects.count() == 5
