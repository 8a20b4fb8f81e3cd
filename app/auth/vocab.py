"""The vocabularies of accounts: roles and the state of an access change."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class Role(enum.StrEnum):
    ADMIN = "admin"
    LEAD = "lead"
    COMPANION = "companion"
    BUDDY = "buddy"
    # The functionaris gegevensbescherming: reads the audit trail, handles subject access and
    # erasure requests and the retention term; reads no client file (app/privacy).
    PRIVACY_OFFICER = "privacy_officer"
    # Installation level (no partnership): creates partnerships and their first administrator;
    # reads no client data and administers no partnership's accounts.
    INSTALLATION_ADMIN = "install_admin"
    # Installation level (no partnership): the funder's reporting. Reads the partnership
    # report summed over partnerships, suppressed per partnership (app/dashboards/funder.py);
    # no client file, list or search, no client-level row.
    FUNDER_REPORTER = "funder"


register_labels(
    Role,
    {
        Role.ADMIN: _l("Administrator"),
        Role.LEAD: _l("Team lead"),
        Role.COMPANION: _l("Trajectory companion"),
        Role.BUDDY: _l("Buddy"),
        Role.PRIVACY_OFFICER: _l("Privacy officer"),
        Role.INSTALLATION_ADMIN: _l("Installation administrator"),
        Role.FUNDER_REPORTER: _l("Funder reporting"),
    },
)


# Accounts of the installation, outside every partnership (partnership_id NULL).
INSTALLATION_ROLES = (Role.INSTALLATION_ADMIN, Role.FUNDER_REPORTER)


# Roles that read client files, from less to more; the admin role alone reads none.
CLIENT_ROLES = (Role.BUDDY, Role.COMPANION, Role.LEAD)


class AccessChangeStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"  # by the administrator who asked
    DECLINED = "declined"  # by another administrator
