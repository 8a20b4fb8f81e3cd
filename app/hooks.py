"""Where packages plug into each other: named extension points and events.

An *extension point* is an ordered registry that one package reads and any package may
add to. Each package adds its contributions in one module, ``<package>/contributions.py``
(imported by the package's ``__init__``), and never imports the package that reads them.
Every contribution carries an ``order``; a point lists its contributions sorted by
``(order, key)``, so the order does not depend on which module happened to be imported
first. Adding the same key twice keeps the first (modules may be imported more than once
in tests).

=====================  =====================================  ===========================
point                  what it holds                          read by
=====================  =====================================  ===========================
``nav_items``          entries of the navigation bar          ``app/navigation.py``
``home_panels``        panels on a role's home page           ``app/main/routes.py``
``client_sections``    parts of the client page               ``app/clients/routes.py``
``organisation_        parts of an organisation's page        ``app/organisations/routes``
sections``
``referral_sections``  parts of the companion's referral page ``app/referrals/routes.py``
``dashboard_widgets``  tables of the dashboard                ``app/dashboards/services``
``reminder_rules``     the reminder rules                     ``app/reminders/engine.py``
``timeline_sources``   kinds of event on the client timeline  ``app/timeline/queries.py``
``setting_specs``      settings admins may change             ``app/settings/registry``
``enum_labels``        translated labels of enum members      ``app/labels.py``
=====================  =====================================  ===========================

Order bands in use: the navigation bar runs 10 (home) .. 110 (employers); home panels
10 (reminders first) .. 60; client sections 10 .. 50 per slot; dashboard widgets 10 .. 80;
reminder rules and timeline sources 10, 20, ... in the order they were written.

*Events* are blinker signals for "this happened, whoever cares may react": the package
where it happens sends, and the package that reacts connects a receiver in its own
module, so neither imports the other for it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from blinker import Namespace

T = TypeVar("T")


class ExtensionPoint(Generic[T]):
    """A named, ordered registry of contributions of one kind."""

    def __init__(self, name: str, key: Callable[[T], Hashable]) -> None:
        self.name = name
        self._key = key
        self._entries: dict[Hashable, tuple[int, T]] = {}
        self._sorted: list[T] | None = None

    def add(self, item: T, *, order: int) -> T:
        """Contribute ``item`` at position ``order`` (once per key)."""
        key = self._key(item)
        if key not in self._entries:
            self._entries[key] = (order, item)
            self._sorted = None
        return item

    def __iter__(self) -> Iterator[T]:
        if self._sorted is None:
            ranked = sorted(self._entries.items(), key=lambda kv: (kv[1][0], str(kv[0])))
            self._sorted = [item for _key, (_order, item) in ranked]
        return iter(self._sorted)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def __getitem__(self, key: Hashable) -> T:
        return self._entries[key][1]

    def get(self, key: Hashable, default: T | None = None) -> T | None:
        entry = self._entries.get(key)
        return entry[1] if entry else default

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {len(self)} contributions>"


# --- the kinds of contribution -----------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """An entry of the navigation bar."""

    endpoint: str
    label: object  # a lazy string
    roles: frozenset | None = None  # of auth.vocab.Role; None: every signed-in user
    admin_only: bool = False
    badge: Callable[[object], int | None] | None = None  # e.g. the open-reminder count
    # Endpoint prefixes this entry stands for; the longest match marks the active entry.
    prefixes: tuple[str, ...] = ()

    def match_length(self, endpoint: str | None) -> int:
        if not endpoint:
            return 0
        if endpoint == self.endpoint:
            return 1000
        prefixes = self.prefixes or (self.endpoint.split(".")[0] + ".",)
        return max((len(p) for p in prefixes if endpoint.startswith(p)), default=0)

    def visible_to(self, user) -> bool:
        if self.admin_only:
            return user.is_admin
        return self.roles is None or user.role in self.roles


@dataclass(frozen=True)
class HomePanel:
    """A panel on the home page of each role in ``roles`` (role values: "admin", "lead",
    "companion", "buddy"); ``context(user)`` gives the dict its template reads as
    ``panel``."""

    template: str
    roles: frozenset[str]
    context: Callable[[Any], dict] | None = None


CLIENT_SLOTS = ("actions", "header", "body")


@dataclass(frozen=True)
class ClientSection:
    """A part of the client page. Slots: ``actions`` (buttons at the top), ``header``
    (alerts under the title), ``body`` (cards below the profile). ``context(client, user)``
    returns the dict its template reads as ``section``, or None to leave it out. ``access``
    is the least ``clients.scoping.Access`` level that sees it (only that level when
    ``exact``). ``with_client``: loader options (sqlalchemy.orm) for what the section reads
    of the client itself, applied when the page loads the client, so that a row per client
    (e.g. its contact statistics) comes in the same statement instead of one more."""

    slot: str
    template: str
    context: Callable[[Any, Any], dict | None] | None
    access: Any  # clients.scoping.Access (an IntEnum)
    exact: bool = False  # only at exactly this access level (e.g. a card for the buddy)
    with_client: tuple = ()

    def __post_init__(self) -> None:
        if self.slot not in CLIENT_SLOTS:
            raise ValueError(f"unknown slot {self.slot!r}")

    def shown_at(self, level) -> bool:
        return level == self.access if self.exact else level >= self.access


@dataclass(frozen=True)
class OrganisationSection:
    """A part of an organisation's page on the social map; ``context(org, user)`` returns
    the dict its template reads as ``section``, or None to leave it out."""

    template: str
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class SettingSpec:
    """A setting admins may change at run time (``settings.registry.get_setting(key)``):
    an integer with its default, limits, label, group on the settings page and help."""

    key: str
    default: int
    minimum: int
    maximum: int
    label: object
    group: object
    help: object = ""


@dataclass(frozen=True)
class ReferralSection:
    """A part of the companion's referral page; ``context(referral, user)`` returns the dict
    its template reads as ``section``, or None to leave it out."""

    template: str
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class TimelineSource:
    """A kind of event on the client timeline (``app/timeline/queries.py``).

    ``events(client_id)`` gives a select of one client's events with the columns ``id``,
    ``day`` (a date), ``at`` (a UTC timestamp, to order events of the same day) and ``kind``
    (a string to filter on); ``load(ids)`` the objects of one page; ``template`` shows one
    entry (it reads ``item``, ``client`` and ``can_read(level, author_id)``).

    A source marked ``with_rows`` names its ``model`` (with an ``id``) and ``options``
    (loader options for what its template shows: joins, never select-in): its objects come
    in the page's own statement, joined on the id, instead of by ``load``. Only the most
    common kind (contacts) is: every table joined makes the statement dearer to plan.
    ``joins(stmt)`` adds outer joins that ``contains_eager`` options read (a collection
    through a link table, joined flat), and ``order`` what keeps such a collection in its
    relationship's order."""

    name: str
    label: Any
    events: Callable[[int], Any]  # -> sa.Select
    load: Callable[[list[int]], list]
    template: str
    # Sub-kinds offered in the filter (e.g. the kinds of contact), as (value, label) choices.
    kinds: Callable[[], list] | None = None
    # Narrow ``events`` to one life domain; a source without it drops out of such a filter.
    domain_filter: Callable[[Any, Any], Any] | None = None
    model: Any = None  # a mapped class
    options: tuple = ()  # loader options for ``model``
    with_rows: bool = False  # loaded in the page's statement (needs ``model``)
    joins: Callable[[Any], Any] | None = None  # outer joins the options read
    order: tuple = ()  # ORDER BY terms after the page's own, for collections joined so


DASHBOARD_SECTIONS = ("overview", "referrals", "outcomes", "buddies")


@dataclass(frozen=True)
class DashboardQuery:
    """What a dashboard widget is asked for: the viewer, the period, ``scope`` (the
    condition on ``Client`` for this viewer and these filters, never wider than the
    scoping helper allows) and the page's options (e.g. the reach dimension)."""

    user: Any
    start: Any  # date
    end: Any  # date
    scope: Any  # a SQL condition on Client
    client_ids: Any  # select(Client.id).where(scope)
    options: dict
    filters: Any = None  # the dashboards.filters.Filters it was built from


@dataclass(frozen=True)
class DashboardWidget:
    """A table of the dashboard, in one of its ``DASHBOARD_SECTIONS`` (tabs); ``table``
    builds it from SQL aggregates: ``table(query: DashboardQuery) -> tables.Table``."""

    key: str
    table: Callable[[DashboardQuery], Any]
    section: str = "overview"

    def __post_init__(self) -> None:
        if self.section not in DASHBOARD_SECTIONS:
            raise ValueError(f"unknown dashboard section {self.section!r}")


# --- the extension points ----------------------------------------------------------------

nav_items: ExtensionPoint[NavItem] = ExtensionPoint("nav_items", lambda i: i.endpoint)
home_panels: ExtensionPoint[HomePanel] = ExtensionPoint("home_panels", lambda p: p.template)
client_sections: ExtensionPoint[ClientSection] = ExtensionPoint(
    "client_sections", lambda s: f"{s.slot}:{s.template}"
)
organisation_sections: ExtensionPoint[OrganisationSection] = ExtensionPoint(
    "organisation_sections", lambda s: s.template
)
referral_sections: ExtensionPoint[ReferralSection] = ExtensionPoint(
    "referral_sections", lambda s: s.template
)
dashboard_widgets: ExtensionPoint[DashboardWidget] = ExtensionPoint(
    "dashboard_widgets", lambda w: w.key
)
# reminders.engine.Rule, keyed by its code.
reminder_rules: ExtensionPoint[Any] = ExtensionPoint("reminder_rules", lambda r: r.code)
timeline_sources: ExtensionPoint[TimelineSource] = ExtensionPoint(
    "timeline_sources", lambda s: s.name
)
# SettingSpec, keyed by its key; the admin's settings page lists them in order.
setting_specs: ExtensionPoint[Any] = ExtensionPoint("setting_specs", lambda s: s.key)
# (enum class, {member: lazy label}); see app/labels.py.
enum_labels: ExtensionPoint[tuple[type, dict]] = ExtensionPoint(
    "enum_labels", lambda entry: entry[0]
)


# --- events ------------------------------------------------------------------------------

_events = Namespace()

#: A check-in was saved (sender: the CheckIn). The worry reminder is raised at once.
checkin_logged = _events.signal("checkin-logged")
#: A companion or lead acknowledged a worry (sender: the CheckIn; ``by``: the user).
worry_acknowledged = _events.signal("worry-acknowledged")
#: Two client files were merged (sender: the survivor; ``merged``: the merged-away client).
client_merged = _events.signal("client-merged")
#: A referral was sent to its organisation (sender: the Referral; ``by``: the user). The
#: partner desk is e-mailed its link.
referral_sent = _events.signal("referral-sent")
#: A partner answered a referral through Gezel (sender: the PartnerAnswer; ``partner``: who,
#: as they named themselves). The answer goes to the companion's inbox at once.
partner_answered = _events.signal("partner-answered")
#: An account was deactivated (sender: the User; ``by``: who did it, None for the system).
#: The API revokes the account's tokens at once.
user_deactivated = _events.signal("user-deactivated")
