"""Partners in the loop: a referral partner's desk answers one referral through a link e-mailed
when the referral is sent, without an account and without seeing anything else."""

from flask import Blueprint

bp = Blueprint("partners", __name__, template_folder="templates")

from app.partners import contributions, routes  # noqa: E402,F401
