"""The correction history of a contact and its notes, ready to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.contacts.models import Contact
from app.contacts.services import snapshot
from app.contacts.visibility import revision_readable
from app.contacts.vocab import ContactKind, ContactOutcome, NoteLevel
from app.extensions import db
from app.labels import label
from app.organisations.models import Organisation
from app.reference import Domain
from app.timeutil import to_local

FIELD_LABELS = {
    "kind": _l("Kind of contact"),
    "outcome": _l("Reached?"),
    "occurred_at": _l("When"),
    "duration_minutes": _l("Duration in minutes"),
    "place": _l("Place"),
    "others_present": _l("Others present"),
    "participants": _l("With whom from the context"),
    "organisations": _l("Organisations present"),
    "domains": _l("Life domains touched"),
    "next_step": _l("Next step"),
    "follow_up_on": _l("Follow-up date"),
}


@dataclass
class Change:
    when: datetime
    by: object
    reason: str
    what: str  # a field's label, or a note's level
    before: str
    after: str | None


def _display(name: str, value, members: dict[int, str], organisations: dict[int, str]) -> str:
    if value in (None, "", []):
        return "—"
    if name == "kind":
        return label(ContactKind(value))
    if name == "outcome":
        return label(ContactOutcome(value))
    if name == "occurred_at":
        return format_datetime(to_local(datetime.fromisoformat(value)), "short")
    if name == "follow_up_on":
        return format_date(date.fromisoformat(value), "medium")
    if name == "domains":
        return ", ".join(label(Domain(v)) for v in value)
    if name == "participants":
        return ", ".join(members.get(v, "?") for v in value)
    if name == "organisations":
        return ", ".join(organisations.get(v, "?") for v in value)
    return str(value)


def contact_changes(contact: Contact, user, *, sensitive: bool = True) -> list[Change]:
    """Every correction, oldest first: the contact's fields before and after, and earlier
    versions of its notes the user may read (a sensitive one shown is audited)."""
    members = {m.id: m.name for m in contact.client.context_members}
    named = {i for r in contact.revisions for i in r.snapshot.get("organisations", [])}
    organisations = dict(
        db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(named))
        ).all()
    )
    versions = [r.snapshot for r in contact.revisions] + [snapshot(contact)]
    changes = []
    for number, revision in enumerate(contact.revisions):
        after = versions[number + 1]
        for name, old in revision.snapshot.items():
            if old != after.get(name):
                changes.append(
                    Change(
                        revision.changed_at, revision.changed_by, revision.reason,
                        str(FIELD_LABELS.get(name, name)),
                        _display(name, old, members, organisations),
                        _display(name, after.get(name), members, organisations),
                    )
                )  # fmt: skip
    for note in contact.live_notes():  # a removed note's earlier texts are not shown
        changes += note_changes(note, user, sensitive=sensitive)
    return sorted(changes, key=lambda c: c.when)


def note_changes(note, user, *, sensitive: bool = True) -> list[Change]:
    found = []
    for revision in note.revisions:
        if not revision_readable(user, note, revision.level):
            continue
        if NoteLevel.SENSITIVE in (note.level, revision.level):
            if not sensitive:
                continue
            audit.record(
                "note.sensitive_read",
                note,
                user=user,
                client_id=note.client_id,
                details={"revision": revision.id},
            )
        what = _l("Note (%(level)s)", level=label(revision.level))
        found.append(
            Change(revision.changed_at, revision.changed_by, revision.reason, str(what),
                   revision.body, None)
        )  # fmt: skip
    return found
