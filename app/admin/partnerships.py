"""A new partnership with its first administrator (the installation administrator's task).

The first administrator is active at once (a new partnership has no second administrator to
confirm it, and the installation administrator is trusted like the operator's command line);
a link to choose a password is e-mailed to their own address, as for every new account.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.auth import services as auth_services
from app.auth import setup_links
from app.auth.models import User
from app.auth.vocab import Role
from app.organisations import services as organisation_services
from app.partnerships import services as partnership_services
from app.partnerships.context import partnership_context
from app.partnerships.models import Partnership


@dataclass
class NewPartnership:
    partnership: Partnership
    admin: User
    link_sent: bool
    organisations: int = 0  # seeded from the regional list


def create_with_admin(
    *,
    name: str,
    code_prefix: str,
    admin_username: str,
    admin_display_name: str,
    admin_email: str | None,
    by: User | None,
    regional_list: bool = False,
) -> NewPartnership:
    """The partnership, its first administrator and, with ``regional_list``, a social map
    started from the shipped regional list (the partnership's own copy: its admins and leads
    change it without touching another partnership's map)."""
    setup_links.require_email(admin_email)
    partnership = partnership_services.create_partnership(name, code_prefix, by=by)
    admin, _temporary = auth_services.create_user(
        username=admin_username,
        display_name=admin_display_name,
        email=admin_email,
        role=Role.ADMIN,
        by=by,
        partnership_id=partnership.id,
    )
    admin.password_hash = setup_links.unusable_password_hash()  # nobody has seen one
    seeded = 0
    if regional_list:
        with partnership_context(partnership.id):
            seeded = organisation_services.seed_social_map(by=by).created
    sent = setup_links.welcome(admin, by=by)
    return NewPartnership(partnership, admin, sent, seeded)
