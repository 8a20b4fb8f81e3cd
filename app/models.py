"""Imports every domain's models, so the metadata is complete for Alembic and the tests."""

from app.api.tokens import ApiToken  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import LoginAttempt, Team, User, team_membership  # noqa: F401
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
from app.organisations.models import (  # noqa: F401
    Organisation,
    OrganisationDomain,
    OrganisationMunicipality,
)
from app.referrals.models import Referral, ReferralStatusChange  # noqa: F401
from app.reminders.models import Reminder  # noqa: F401
from app.scheduler.models import JobRun  # noqa: F401
from app.settings.models import Setting  # noqa: F401
