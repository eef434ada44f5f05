"""Who may act on what: the three roles and their scope.

- *National admin*: a superuser or a member of the "Quản trị OCOP quốc gia" group. Everything.
- *Province officer*: a user linked to provinces by `ProvinceOfficer`. Its provinces' producers,
  products, certificates, campaigns and figures.
- *Producer*: a user linked to producers by `ProducerMember`. Its own producers' pages, products,
  images, documents, sub-orders and sales.

Every admin view that is not a Wagtail page view asks these functions; Wagtail's own page, image
and document views are scoped by the groups and permissions `manage.py setup_roles` creates
(`catalog.permissions`), which follow the same links.

The models declare where their rows belong with `Scope`, so this module reads the links through
the users' and provinces' reverse relations and never imports the models.
"""

from django.conf import settings
from django.db.models import Q

NATIONAL_ADMIN_GROUP = "Quản trị OCOP quốc gia"
OFFICER_GROUP = "Cán bộ OCOP tỉnh"
PRODUCER_GROUP = "Chủ thể OCOP"


def _cached(user, attr, compute):
    if not hasattr(user, attr):
        setattr(user, attr, compute())
    return getattr(user, attr)


def is_national_admin(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _cached(
        user, "_ocop_national", lambda: user.groups.filter(name=NATIONAL_ADMIN_GROUP).exists())


def officer_province_ids(user) -> frozenset[int]:
    """Provinces this user is an officer of (empty for everyone else, national admins included)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return _cached(user, "_ocop_provinces", lambda: frozenset(
        user.province_offices.values_list("province_id", flat=True)))


def member_producer_ids(user) -> frozenset[int]:
    """Producers this user acts for as a member."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return _cached(user, "_ocop_producers", lambda: frozenset(
        user.producer_memberships.values_list("producer_id", flat=True)))


def is_officer(user) -> bool:
    return bool(officer_province_ids(user))


def can_act_for_province(user, province_id) -> bool:
    """May this user run things owned by this province (None: national things)?"""
    if is_national_admin(user):
        return True
    return province_id is not None and province_id in officer_province_ids(user)


def producer_scope(user, field="pk") -> Q | None:
    """A filter on producers (through `field`, e.g. "producer" or "product__producer") this user
    may manage, or None when it may manage all. A user with no role gets a filter matching nothing."""
    if is_national_admin(user):
        return None
    through = "" if field == "pk" else field + "__"
    return Q(**{f"{through}province_id__in": officer_province_ids(user)}) | Q(
        **{f"{field}__in": member_producer_ids(user)})


def scoped(queryset, user, field="pk"):
    """`queryset` narrowed to what this user may manage (see `producer_scope`)."""
    scope = producer_scope(user, field)
    return queryset if scope is None else queryset.filter(scope)


def province_scoped(queryset, user, field="province"):
    """`queryset` of province-owned things narrowed to the user's provinces (all for national)."""
    if is_national_admin(user):
        return queryset
    return queryset.filter(**{f"{field}__in": officer_province_ids(user)})


def can_manage_producer(user, producer) -> bool:
    if is_national_admin(user):
        return True
    return producer.pk in member_producer_ids(user) or producer.province_id in officer_province_ids(user)


class Scope:
    """Where a model's rows belong: to a producer (`producer="product__producer"`) or to a province
    (`province="province"`; a blank province is national). Snippet listings, permission checks and
    admin forms all ask the model's `ocop_scope`."""

    def __init__(self, *, producer=None, province=None):
        self.producer, self.province = producer, province

    @property
    def path(self):
        return self.producer or self.province

    def filter(self, queryset, user):
        if self.producer:
            return scoped(queryset, user, self.producer)
        return province_scoped(queryset, user, self.province)

    def owner(self, first):
        """Follow the path from its first step's value (a model instance or None)."""
        target = first
        for part in self.path.split("__")[1:]:
            target = getattr(target, part, None) if target is not None else None
        return target

    def allows(self, user, owner) -> bool:
        if self.producer:
            return owner is not None and can_manage_producer(user, owner)
        return can_act_for_province(user, owner.pk if owner is not None else None)

    def allows_instance(self, user, instance) -> bool:
        return self.allows(user, self.owner(getattr(instance, self.path.split("__")[0], None)))


def officer_emails(province) -> list[str]:
    """Who hears about a province's producers: its officers' accounts, then OCOP_OFFICER_EMAILS."""
    emails = list(province.officers.filter(user__is_active=True).exclude(
        user__email="").order_by("user__email").values_list("user__email", flat=True))
    emails += settings.OCOP_OFFICER_EMAILS.get(province.slug, [])
    seen = set()
    return [e for e in emails if e and not (e.lower() in seen or seen.add(e.lower()))]
