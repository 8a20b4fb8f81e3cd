"""What partners add to other pages: the partner link card on the companion's referral page,
and the figures per partner on the dashboard's referrals tab."""

from __future__ import annotations

from app import hooks
from app.hooks import DashboardWidget, ReferralSection
from app.partners.dashboard import by_partner
from app.partners.links import latest_link


def referral_card(referral, user) -> dict | None:
    """The partner link of a sent referral whose organisation has a desk e-mail (or had a
    link sent before)."""
    link = latest_link(referral)
    if link is None and not (referral.organisation.desk_email and referral.sent_on):
        return None
    return {"partner_link": link}


hooks.referral_sections.add(
    ReferralSection("partners/_referral_card.html", referral_card), order=10
)
hooks.dashboard_widgets.add(DashboardWidget("referrals_partner", by_partner, "referrals"), order=40)
