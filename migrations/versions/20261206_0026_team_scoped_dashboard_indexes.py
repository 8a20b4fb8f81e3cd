"""indexes for team-scoped dashboard figures

The dashboards go from a team's clients to their rows; these indexes lead with the client
(or the team) so that each step reads only the team's rows:
- client (team_id, merged_into_id, id): a team's live client ids from the index alone (a
  team's clients are spread over the whole client table);
- measurement (client_id, instrument_id, measured_on, id): a client's measurements of one
  instrument up to a day, for the self-reliance change;
- referral (client_id, sent_on): a client's referrals sent in the period (per partner);
  referral (client_id, status, sent_on, referred_on): a client's open referrals by age;
- check_in (client_id, occurred_on, buddy_id, duration_minutes, worry,
  worry_acknowledged_at): a client's check-ins in the period with what the buddies widget
  adds up, from the index alone.
Plain CREATE INDEX, no batch mode.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 14:10:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_client_team_live", "client", ["team_id", "merged_into_id", "id"])
    op.create_index(
        "ix_measurement_client_instrument_on",
        "measurement",
        ["client_id", "instrument_id", "measured_on", "id"],
    )
    op.create_index("ix_referral_client_sent", "referral", ["client_id", "sent_on"])
    op.create_index(
        "ix_referral_client_status", "referral", ["client_id", "status", "sent_on", "referred_on"]
    )
    op.create_index(
        "ix_check_in_client_figures",
        "check_in",
        ["client_id", "occurred_on", "buddy_id", "duration_minutes", "worry",
         "worry_acknowledged_at"],
    )  # fmt: skip
    # Statistics for the new indexes right away: SQLite without them takes a two-column
    # equality on (team_id, merged_into_id) for a handful of rows and picks that index over
    # better ones (and then scans a joined subquery per row).
    for table in ("client", "measurement", "referral", "check_in"):
        op.execute(f"ANALYZE {table}")


def downgrade():
    op.drop_index("ix_check_in_client_figures", table_name="check_in")
    op.drop_index("ix_referral_client_status", table_name="referral")
    op.drop_index("ix_referral_client_sent", table_name="referral")
    op.drop_index("ix_measurement_client_instrument_on", table_name="measurement")
    op.drop_index("ix_client_team_live", table_name="client")
