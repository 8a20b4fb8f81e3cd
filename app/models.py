"""Imports every domain's models, so the metadata is complete for Alembic and the tests."""

from app.activation.models import AftercareCheck, EmployerEngagement, Placement  # noqa: F401
from app.agenda.models import Appointment, CalendarFeed, appointment_participant  # noqa: F401
from app.api.tokens import ApiToken  # noqa: F401
from app.audit.models import AuditEvent, audit_event_client  # noqa: F401
from app.auth.models import (  # noqa: F401
    LoginAttempt,
    RecoveryCode,
    Team,
    User,
    UserSession,
    team_membership,
)
from app.checkins.models import CheckIn  # noqa: F401
from app.clients.models import (  # noqa: F401
    BuddyMatch,
    Client,
    ClientChallenge,
    ClientCodeCounter,
    Consent,
    ConsentScope,
    ContextMember,
    PhaseChange,
    co_companion,
)
from app.contacts.models import (  # noqa: F401
    Contact,
    ContactDomain,
    ContactRevision,
    Note,
    NoteRevision,
    contact_organisation,
    contact_participant,
)
from app.documents.models import Document  # noqa: F401
from app.groups.models import GroupRegistration, GroupSession  # noqa: F401
from app.idempotency import SubmissionKey  # noqa: F401
from app.mail.models import OutboxMessage  # noqa: F401
from app.measurements.models import (  # noqa: F401
    Instrument,
    InstrumentDomain,
    InstrumentLevel,
    Measurement,
    MeasurementScore,
)
from app.organisations.models import (  # noqa: F401
    Organisation,
    OrganisationDomain,
    OrganisationMunicipality,
)
from app.partners.models import PartnerAnswer, PartnerLink  # noqa: F401
from app.partnerships.models import Partnership  # noqa: F401
from app.plans.models import Goal, goal_contact, goal_referral  # noqa: F401
from app.privacy.models import PrivacyRequest  # noqa: F401
from app.referrals.models import Referral, ReferralStatusChange  # noqa: F401
from app.reminders.models import Reminder  # noqa: F401
from app.scheduler.models import JobRun  # noqa: F401
from app.settings.models import Setting  # noqa: F401
