"""The hash chain: canonical content, appending under a lock, and verification.

hash = SHA-256( canonical JSON of the row's content, prev_hash included )
canonical JSON = sorted keys, no whitespace, UTF-8, ``at`` as UTC ISO-8601 with microseconds.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from writecarenotes.platform.audit.models import AuditRecord, ChainHead

GENESIS = "0" * 64

#: Every column that the hash covers (all but id and hash).
HASHED_FIELDS = (
    "chain",
    "seq",
    "at",
    "kind",
    "action",
    "organisation_id",
    "home_id",
    "actor_kind",
    "actor_id",
    "actor_email",
    "system_reason",
    "target_type",
    "target_id",
    "subject_type",
    "subject_id",
    "subject_label",
    "part",
    "before",
    "after",
    "reason",
    "ip",
    "user_agent",
    "request_id",
    "prev_hash",
)


def json_safe(value):
    """Dates, decimals, UUIDs ... as the JSON the database will hand back (so hashes re-compute)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _canonical_at(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(content: dict) -> str:
    body = {k: content[k] for k in HASHED_FIELDS}
    body["at"] = _canonical_at(body["at"])
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def chain_key(home_id: int | None, organisation_id: int | None) -> str:
    if home_id is not None:
        return f"home:{home_id}"
    if organisation_id is not None:
        return f"org:{organisation_id}"
    return "global"


def _lock_head(chain: str) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            ChainHead.objects.create(chain=chain, seq=0, hash=GENESIS)
    except IntegrityError:  # another writer created it first
        pass
    return ChainHead.objects.select_for_update().get(chain=chain)


#: The chain heads held by ``held_heads()`` in this thread: {chain: locked ChainHead}, or None.
_held: ContextVar[dict | None] = ContextVar("audit_held_heads", default=None)


class HeldHeads:
    """The chain heads a batch holds (see ``held_heads``)."""

    def __init__(self, heads: dict):
        self._heads = heads

    @contextmanager
    def undone_on_error(self):
        """Wrap one item of the batch that runs in its own savepoint: if it fails (its savepoint rolls
        back with its audit records), the held heads go back to where they were before it."""
        before = {chain: (h.seq, h.hash) for chain, h in self._heads.items()}
        try:
            yield
        except BaseException:
            for chain in list(self._heads):
                if chain in before:
                    self._heads[chain].seq, self._heads[chain].hash = before[chain]
                else:
                    del self._heads[chain]  # first locked by the failed item: read it again next time
            raise


@contextmanager
def held_heads():
    """Inside ONE transaction that appends many records (a batch of care entries): lock each chain's
    head once, keep it in memory, and write it back once at the end, instead of a read and a write
    per record. The records are the same, in the same order, hashed the same way. An item of the
    batch that runs in its own savepoint must be wrapped in ``undone_on_error()``."""
    if not connection.in_atomic_block:
        raise RuntimeError("held_heads() must be used inside transaction.atomic()")
    heads: dict = {}
    token = _held.set(heads)
    try:
        yield HeldHeads(heads)
        for chain, head in heads.items():
            ChainHead.objects.filter(chain=chain).update(seq=head.seq, hash=head.hash)
    finally:
        _held.reset(token)


def append(content: dict) -> AuditRecord:
    """Append one record to its chain. The caller holds a transaction (atomic block)."""
    chain = chain_key(content.get("home_id"), content.get("organisation_id"))
    held = _held.get()
    head = held.get(chain) if held is not None else None
    if head is None:
        head = _lock_head(chain)
        if held is not None:
            held[chain] = head
    row = dict(content)
    row["chain"] = chain
    row["seq"] = head.seq + 1
    # The time is taken under the lock, so seq order and time order agree within a chain.
    # Microseconds are kept: both SQLite and PostgreSQL store them, so the hash re-computes.
    row["at"] = timezone.now()
    row["before"] = json_safe(row.get("before"))
    row["after"] = json_safe(row.get("after"))
    row["prev_hash"] = head.hash
    row["hash"] = compute_hash(row)
    record = AuditRecord.objects.create(**row)
    if held is not None:  # written back once, when the batch ends (held_heads)
        head.seq, head.hash = row["seq"], row["hash"]
    else:
        ChainHead.objects.filter(chain=chain).update(seq=row["seq"], hash=row["hash"])
    return record


@dataclass
class ChainReport:
    chain: str
    records: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_chain(chain: str) -> ChainReport:
    """Walk one chain in seq order; stop at the first record that does not fit."""
    expected_seq, prev_hash, last_id, count = 1, GENESIS, 0, 0
    fields = ("id", "hash", *HASHED_FIELDS)
    rows = AuditRecord.objects.filter(chain=chain).order_by("seq").values(*fields)
    report = ChainReport(chain=chain, records=0, head_seq=0, head_hash=GENESIS)
    for row in rows.iterator(chunk_size=2000):
        problem, blame = "", (row["seq"], row["id"])
        if row["seq"] != expected_seq:
            if row["seq"] > expected_seq:
                problem = f"seq {row['seq']} follows {expected_seq - 1}: record(s) missing (deleted?)"
            else:
                problem = f"seq {row['seq']} repeats (inserted?)"
        elif row["id"] <= last_id:
            # Ids grow in the order rows were written, and a chain is written under a lock: the
            # previous record was written after this one, so it was inserted (or moved) there.
            blame = (expected_seq - 1, last_id)
            problem = "written after the records that follow it (inserted or reordered?)"
        elif row["prev_hash"] != prev_hash:
            problem = "prev_hash does not match the previous record (deleted, inserted or reordered?)"
        elif compute_hash(row) != row["hash"]:
            problem = "content does not match its hash (edited or reordered?)"
        if problem:
            report.records = count
            report.broken_seq, report.broken_id = blame
            report.problem = problem
            return report
        expected_seq, prev_hash, last_id = row["seq"] + 1, row["hash"], row["id"]
        count += 1
    report.records, report.head_seq, report.head_hash = count, expected_seq - 1, prev_hash
    head = ChainHead.objects.filter(chain=chain).first()
    if head is not None and (head.seq, head.hash) != (report.head_seq, report.head_hash):
        report.broken_seq = report.head_seq + 1 if head.seq > report.head_seq else report.head_seq
        if head.seq > report.head_seq:
            report.problem = f"chain ends at seq {report.head_seq} but {head.seq} were written (last deleted?)"
        else:
            report.problem = f"chain head is seq {head.seq}: records after it were not written by the application"
    elif head is None and count:
        report.broken_seq, report.problem = 1, "chain has no head (records inserted outside the application?)"
    return report


def chains(home_id: int | None = None) -> list[str]:
    if home_id is not None:
        return [chain_key(home_id, None)]
    names = set(AuditRecord.objects.values_list("chain", flat=True).distinct())
    names |= set(ChainHead.objects.values_list("chain", flat=True))
    return sorted(names)


def verify_all(home_id: int | None = None) -> list[ChainReport]:
    return [verify_chain(c) for c in chains(home_id)]
