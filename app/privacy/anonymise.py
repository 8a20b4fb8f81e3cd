"""Anonymising a client file: what identifies the person goes, what the figures count stays.

Removed: names, descriptions, every free text about the client in every table (contacts,
notes of every level and their earlier versions, context members, consents with their
signatures, documents with their encrypted files, referrals,
their moves and the partners' answers, plans, check-ins, measurement comments, placements,
aftercare checks, phase notes, reminders' reasons, the reason of a consent override in the
audit trail), the search index and the searchable name words. Kept: codes, categories,
dates and every row, so that the dashboards and the partnership report count exactly what
they counted before (docs/privacy.md).

Two ways in: the retention run (closed files past their term, per exit outcome; a scheduler
job and ``flask retention run``) and an erasure request granted by the privacy officer
(app/privacy/requests.py). Both use ``anonymise``: set-based UPDATEs per chunk of clients, so
5,000 files take seconds, and running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from app.activation.models import AftercareCheck, Placement
from app.agenda.models import Appointment
from app.audit import services as audit
from app.audit.models import AuditEvent
from app.checkins.models import CheckIn
from app.clients.models import (
    BuddyMatch,
    Client,
    ClientNameKey,
    Consent,
    ContextMember,
    PhaseChange,
)
from app.clients.vocab import ExitOutcome, Phase
from app.contacts.models import Contact, ContactRevision, Note, NoteRevision
from app.database import utcnow
from app.documents import services as document_services
from app.documents.models import Document
from app.extensions import db
from app.measurements.models import Measurement, MeasurementScore
from app.partners.models import PartnerAnswer
from app.partnerships.context import partnership_context
from app.partnerships.services import all_partnerships, working_partnership_id
from app.plans.models import Goal
from app.referrals.models import Referral, ReferralStatusChange
from app.reminders.models import Reminder
from app.settings.registry import get_setting
from app.timeutil import today

CHUNK = 500

# Free text per table, emptied (a required column gets "", an optional one NULL). Every text
# column of a table about a client is either here or in KEPT (tests/privacy checks that).
CLEARED: dict[type, tuple[str, ...]] = {
    Client: (
        "preferred_name", "description", "legal_first_name", "legal_last_name",
        "municipality_other", "place_met_detail", "referrer_detail", "contact_note",
        "legal_name_key", "legal_hold_reason",
    ),
    ContextMember: ("name", "note"),
    Consent: ("note", "withdrawal_reason", "signature_svg", "explanation_text"),
    BuddyMatch: ("note",),
    PhaseChange: ("note", "reason"),
    Contact: ("place", "others_present", "next_step", "deletion_reason"),
    Note: ("body", "deletion_reason"),
    Referral: ("question", "override_reason", "appointment_place"),
    ReferralStatusChange: ("reason", "note"),
    Goal: ("description", "status_note"),
    MeasurementScore: ("note",),
    CheckIn: ("activity_note", "worry_text"),
    Placement: ("outcome_note",),
    AftercareCheck: ("note",),
    Reminder: ("dismiss_reason",),
    PartnerAnswer: ("place",),
    Appointment: ("place", "purpose"),
}  # fmt: skip
# Text columns that stay: codes and categories (what the figures count).
KEPT: dict[type, tuple[str, ...]] = {
    Client: ("code", "search_text", "name_key", "languages"),
    Consent: ("explained_in", "text_language"),
    Referral: ("shared_fields",),
    Reminder: ("rule", "dedupe_key", "details"),
    # How the partner's staff member signed an answer: not about the client, and what tells
    # the dashboard an answer came through Gezel.
    ReferralStatusChange: ("by_partner",),
}
# Earlier versions of contacts and notes, the searchable words of the names and the documents
# (scans and photos: their encrypted files go too, once the transaction commits): their rows
# go (they are nothing but text).
DELETED = (ContactRevision, NoteRevision, ClientNameKey, Document)
# Audit details that may hold free text about the client.
AUDIT_TEXT_KEYS = ("reason",)


def _cleared_values(model) -> dict:
    values = {}
    for name in CLEARED[model]:
        column = model.__table__.c[name]
        values[name] = None if column.nullable else ""
    return values


def _owned(model, ids: list[int]):
    """The rows of ``model`` that belong to the clients ``ids``."""
    if model is Client:
        return Client.id.in_(ids)
    if model is ReferralStatusChange:
        return ReferralStatusChange.referral_id.in_(
            sa.select(Referral.id).where(Referral.client_id.in_(ids))
        )
    if model is PartnerAnswer:
        return PartnerAnswer.referral_id.in_(
            sa.select(Referral.id).where(Referral.client_id.in_(ids))
        )
    if model is MeasurementScore:
        return MeasurementScore.measurement_id.in_(
            sa.select(Measurement.id).where(Measurement.client_id.in_(ids))
        )
    if model is ContactRevision:
        return ContactRevision.contact_id.in_(
            sa.select(Contact.id).where(Contact.client_id.in_(ids))
        )
    if model is NoteRevision:
        return NoteRevision.note_id.in_(sa.select(Note.id).where(Note.client_id.in_(ids)))
    return model.client_id.in_(ids)


def _anonymise_chunk(ids: list[int], now: datetime) -> None:
    session = db.session
    document_services.remove_for_clients(ids)  # the files, after the commit
    for model in DELETED:
        session.execute(sa.delete(model).where(_owned(model, ids)))
    for model in CLEARED:
        values = _cleared_values(model)
        if model is Client:
            values.update(
                search_text=sa.func.lower(Client.code),
                name_key="",
                birth_date=None,  # the birth year stays: age bands count it
                anonymised_at=now,
                version=Client.version + 1,
            )
        session.execute(
            sa.update(model).where(_owned(model, ids)).values(values),
            execution_options={"synchronize_session": False},
        )
    for event in session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.client_id.in_(ids), AuditEvent.action == "referral.consent_override"
        )
    ):
        if event.details and any(key in event.details for key in AUDIT_TEXT_KEYS):
            event.details = {k: v for k, v in event.details.items() if k not in AUDIT_TEXT_KEYS}
    connection = session.connection()
    if connection.dialect.name == "sqlite":  # the FTS5 search index holds the names
        connection.execute(
            sa.text(
                "INSERT OR REPLACE INTO client_search (rowid, text) "
                "SELECT id, search_text FROM client WHERE id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids},
        )


def anonymise(client_ids: list[int], *, now: datetime | None = None) -> int:
    """Anonymise these clients' files (already anonymised ones are left as they are);
    returns how many were anonymised now. The caller audits and commits."""
    now = now or utcnow()
    todo = list(
        db.session.scalars(
            sa.select(Client.id)
            .where(Client.id.in_(client_ids), Client.anonymised_at.is_(None))
            .order_by(Client.id)
        )
    )
    for start in range(0, len(todo), CHUNK):
        _anonymise_chunk(todo[start : start + CHUNK], now)
    if todo:
        db.session.flush()  # the audit details changed above
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":  # merge the index: old terms leave the file
            connection.exec_driver_sql(
                "INSERT INTO client_search(client_search) VALUES('optimize')"
            )
        db.session.expire_all()
    return len(todo)


# Retention.


def retention_years(outcome: ExitOutcome | None) -> int:
    """The term of the current partnership (each partnership sets its own)."""
    return get_setting(f"retention.{(outcome or ExitOutcome.OTHER).value}")


def due_clause(day: date | None = None):
    """Closed files of the current partnership whose term (per exit outcome, the
    partnership's settings) has passed on ``day``, not anonymised yet and not on legal
    hold."""
    day = day or today()
    partnership_id = working_partnership_id()
    if partnership_id is None:
        return sa.false()
    terms = [
        sa.and_(
            Client.exit_outcome == outcome,
            Client.closed_on <= day - relativedelta(years=retention_years(outcome)),
        )
        for outcome in ExitOutcome
    ]
    terms.append(
        sa.and_(
            Client.exit_outcome.is_(None),
            Client.closed_on <= day - relativedelta(years=retention_years(None)),
        )
    )
    return sa.and_(
        Client.partnership_id == partnership_id,
        Client.phase == Phase.CLOSED,
        Client.closed_on.is_not(None),
        Client.anonymised_at.is_(None),
        sa.or_(*terms),
    )


def due(day: date | None = None, *, held: bool = False) -> sa.Select:
    """``select(Client)`` past their term: those the next run anonymises, or (``held``) those
    a legal hold keeps."""
    return (
        sa.select(Client)
        .where(due_clause(day), Client.legal_hold.is_(held))
        .order_by(Client.closed_on, Client.id)
    )


def term_ends_on(client: Client) -> date | None:
    if client.closed_on is None or client.phase != Phase.CLOSED:
        return None
    return client.closed_on + relativedelta(years=retention_years(client.exit_outcome))


@dataclass
class RetentionRun:
    anonymised: int = 0
    held: int = 0
    per_outcome: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return f"anonymised {self.anonymised} files past their term, {self.held} on legal hold"


def run_retention(*, day: date | None = None, actor: str = "scheduler") -> RetentionRun:
    """Anonymise every closed file past its term (not on legal hold), each partnership with
    its own terms. Audited with counts, also when there was nothing to do; idempotent."""
    day = day or today()
    result = RetentionRun()
    rows = []
    for partnership in all_partnerships():
        with partnership_context(partnership.id):
            rows += db.session.execute(
                due(day).with_only_columns(Client.id, Client.exit_outcome).order_by(None)
            ).all()
            result.held += db.session.scalar(
                sa.select(sa.func.count()).select_from(
                    due(day, held=True).order_by(None).subquery()
                )
            )
    for _id, outcome in rows:
        key = (outcome or ExitOutcome.OTHER).value
        result.per_outcome[key] = result.per_outcome.get(key, 0) + 1
    result.anonymised = anonymise([r[0] for r in rows])
    audit.record(
        "retention.run",
        actor=actor,
        details={
            "anonymised": result.anonymised,
            "held": result.held,
            "per_outcome": result.per_outcome,
            "day": day.isoformat(),
        },
    )
    return result
