"""Two people recording the same move at once: one wins, the other is told it no longer fits,
and the history still replays to the status."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus, replay
from app.referrals.models import Referral, ReferralStatusChange
from app.timeutil import today
from tests import factories
from tests.organisations.conftest import make_organisation


@pytest.mark.slow
def test_concurrent_moves_are_applied_one_after_the_other(fresh_app):
    app = fresh_app()
    with app.app_context():
        team = factories.make_team("Samen")
        users = [factories.make_user("companion", teams=[team]) for _ in range(6)]
        org = make_organisation("Loket", domains=["childcare"], covers_whole_region=True)
        client = factories.make_client(team, users[0])
        referral = services.create_referral(
            client, organisation=org, domain="childcare", question="Opvang",
            referred_on=today(), by=users[0],
        )  # fmt: skip
        services.move(
            referral, ReferralStatus.SENT, by=users[0], consent_override=True,
            override_reason="Mondeling akkoord",
        )  # fmt: skip
        db.session.commit()
        url = f"/clients/{client.id}/referrals/{referral.id}/status/accepted"
        usernames, referral_id = [u.username for u in users], referral.id

    statuses, errors, barrier = [], [], threading.Barrier(len(usernames))

    def worker(username):
        try:
            browser = app.test_client()
            signed_in = browser.post(
                "/login", data={"username": username, "password": factories.PASSWORD}
            )
            assert signed_in.status_code == 302
            barrier.wait()
            statuses.append(browser.post(url, data={"on": today().isoformat()}).status_code)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [302] + [409] * (len(usernames) - 1)
    with app.app_context():
        rows = db.session.execute(
            sa.select(ReferralStatusChange.from_status, ReferralStatusChange.to_status)
            .where(ReferralStatusChange.referral_id == referral_id)
            .order_by(ReferralStatusChange.id)
        ).all()
        assert replay([tuple(r) for r in rows]) == ReferralStatus.ACCEPTED
        assert db.session.get(Referral, referral_id).status == ReferralStatus.ACCEPTED
