"""The social map (sociale kaart): organisations, the life domains they serve and the
municipalities they cover. Employers are organisations too."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, lazyload, mapped_column, relationship

from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.organisations.fields import MAX_LENGTHS
from app.organisations.vocab import OrganisationType
from app.reference import Domain, Municipality

DESK_FIELDS = (
    "desk_name",
    "desk_email",
    "desk_phone",
    "desk_address",
    "desk_hours",
    "desk_how_to_refer",
)


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(MAX_LENGTHS["name"]))
    # The name folded for comparison (case and accents ignored): it keeps names unique within
    # a partnership's map and is what name search matches, the same way on SQLite and PostgreSQL.
    name_key: Mapped[str] = mapped_column(sa.String(400))
    # The social map is per partnership.
    partnership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partnership.id"), index=True)
    type: Mapped[OrganisationType] = mapped_column(str_enum(OrganisationType, 32))
    # The CSV's "all": every municipality of the region, now and after a change of the list.
    covers_whole_region: Mapped[bool] = mapped_column(default=False)
    contact_person: Mapped[str | None] = mapped_column(sa.String(MAX_LENGTHS["contact_person"]))
    phone: Mapped[str | None] = mapped_column(sa.String(MAX_LENGTHS["phone"]))
    email: Mapped[str | None] = mapped_column(sa.String(MAX_LENGTHS["email"]))
    address: Mapped[str | None] = mapped_column(sa.String(MAX_LENGTHS["address"]))
    website: Mapped[str | None] = mapped_column(sa.String(MAX_LENGTHS["website"]))
    sector: Mapped[str | None] = mapped_column(sa.String(MAX_LENGTHS["sector"]))  # for employers
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # The referral desk: where referrals go (the partner link is e-mailed to desk_email).
    desk_name: Mapped[str | None] = mapped_column(sa.String(120))
    desk_email: Mapped[str | None] = mapped_column(sa.String(254))
    desk_phone: Mapped[str | None] = mapped_column(sa.String(40))
    desk_address: Mapped[str | None] = mapped_column(sa.String(300))
    desk_hours: Mapped[str | None] = mapped_column(sa.String(300))
    desk_how_to_refer: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    domain_links: Mapped[list[OrganisationDomain]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", lazy="selectin"
    )
    municipality_links: Mapped[list[OrganisationMunicipality]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        sa.Index("ix_organisation_active_name_key", "active", "name_key"),
        sa.UniqueConstraint("partnership_id", "name_key"),
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"

    @property
    def phone_link(self) -> str | None:
        """A tel: link, so a tap on a tablet or phone calls the number."""
        if not self.phone:
            return None
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+")

    @property
    def desk_phone_link(self) -> str | None:
        if not self.desk_phone:
            return None
        return "tel:" + "".join(c for c in self.desk_phone if c.isdigit() or c == "+")

    @property
    def has_desk(self) -> bool:
        return any(getattr(self, name) for name in DESK_FIELDS)

    @property
    def domains(self) -> list[Domain]:
        """The domains served, in the order of the Domain vocabulary."""
        served = {link.domain for link in self.domain_links}
        return [domain for domain in Domain if domain in served]

    @property
    def municipalities(self) -> list[Municipality]:
        """The municipalities listed one by one (empty when the whole region is covered)."""
        covered = {link.municipality for link in self.municipality_links}
        return [municipality for municipality in Municipality if municipality in covered]


class OrganisationDomain(db.Model):
    """A life domain an organisation serves: a row each, so SQL can filter and count by it."""

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[Domain] = mapped_column(str_enum(Domain, 32), primary_key=True)

    organisation: Mapped[Organisation] = relationship(back_populates="domain_links")

    # The primary key serves lookups per organisation; this one serves "who serves domain X".
    __table_args__ = (sa.Index("ix_organisation_domain_domain", "domain", "organisation_id"),)


class OrganisationMunicipality(db.Model):
    """A municipality an organisation covers (besides the whole-region flag)."""

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    municipality: Mapped[Municipality] = mapped_column(str_enum(Municipality, 32), primary_key=True)

    organisation: Mapped[Organisation] = relationship(back_populates="municipality_links")

    __table_args__ = (
        sa.Index("ix_organisation_municipality_municipality", "municipality", "organisation_id"),
    )


def by_name_only(organisation=Organisation) -> tuple:
    """An organisation shown by its name only (a referral's partner, a placement's, a goal's,
    a consent's, a timeline entry's): the options for loading it, or an alias of it, so,
    with its domains and municipalities (read where it is edited or searched) left
    unloaded."""
    return (lazyload(organisation.domain_links), lazyload(organisation.municipality_links))


BY_NAME_ONLY = by_name_only()
