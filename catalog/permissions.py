"""The Wagtail groups, page permissions, collections and workflow behind the three roles.

`catalog.roles` says who may act on what; this module writes it into Wagtail's own permission
tables so that every Wagtail view (edit, delete, revisions, history, preview, images, documents…)
enforces it, not only our screens:

- "Chủ thể OCOP" and "Cán bộ OCOP tỉnh": base groups with admin access (and, for officers, the
  snippets they keep, scoped further by `catalog.wagtail_hooks`).
- One group per producer ("Chủ thể #<id> – <name>"): add and change on its producer page, which
  covers its products, and its own image/document collection. No publish: its edits go through the
  province review workflow.
- One group per province ("Cán bộ OCOP – <province>"): add, change and publish on each producer
  page of the province, and the province's collection (its producers' collections are inside).
- "Quản trị OCOP quốc gia": every permission, on every page and collection.

Links (ProducerMember, ProvinceOfficer) are the source of truth; `sync_user` puts a user in the
groups its links imply and takes it out of the others. `setup_roles` runs everything, idempotently.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.dispatch import Signal
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from catalog import roles
from catalog.models import ProducerMember, ProducerPage, Province, ProvinceOfficer, ProvinceReviewTask
from catalog.tree import producer_index

PRODUCER_PAGE_PERMISSIONS = ("add", "change")
OFFICER_PAGE_PERMISSIONS = ("add", "change", "publish")
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
)
# Snippets officers keep; each viewset narrows them to the officer's provinces.
OFFICER_MODEL_PERMISSIONS = (
    ("catalog", "certificate", ("add", "change", "delete", "view")),
    ("catalog", "tradefair", ("add", "change", "delete", "view")),
    ("storefront", "provincetarget", ("add", "change", "delete", "view")),
    ("catalog", "producermember", ("add", "delete", "view")),
)
WORKFLOW_NAME = "Duyệt tin của chủ thể"
# Sent at the end of setup_roles, so other apps grant their own pages (shop: campaigns).
roles_set_up = Signal()
PRODUCER_GROUP_PREFIX = "Chủ thể #"
OFFICER_GROUP_PREFIX = "Cán bộ OCOP – "


def _perm(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_perm(kind):
    return _perm("wagtailcore", f"{kind}_page")


def producer_group_name(producer) -> str:
    return f"{PRODUCER_GROUP_PREFIX}{producer.pk} – {producer.title}"[:150]


def officer_group_name(province) -> str:
    return f"{OFFICER_GROUP_PREFIX}{province.name}"[:150]


def producer_group(producer) -> Group:
    """The producer's own group, renamed if the producer was."""
    group = Group.objects.filter(name__startswith=f"{PRODUCER_GROUP_PREFIX}{producer.pk} – ").first()
    name = producer_group_name(producer)
    if group is None:
        group = Group.objects.create(name=name)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def officer_group(province) -> Group:
    return Group.objects.get_or_create(name=officer_group_name(province))[0]


def _child_collection(parent: Collection, name: str) -> Collection:
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(instance=Collection(name=name))


def province_collection(province) -> Collection:
    return _child_collection(Collection.get_first_root_node(), f"Tỉnh {province.short_name}")  # found by name: never translated


def producer_collection(producer) -> Collection:
    """The producer's collection (found by its "#<id> " prefix, so renaming keeps it)."""
    name = f"#{producer.pk} {producer.title}"[:255]
    collection = Collection.objects.filter(name__startswith=f"#{producer.pk} ").first()
    if collection is None:
        return province_collection(producer.province).add_child(instance=Collection(name=name))
    if collection.name != name:
        collection.name = name
        collection.save(update_fields=["name"])
    return collection


def _grant_media(group, collection):
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_perm(app_label, codename))


def grant_page(group, page, kinds):
    for kind in kinds:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_page_perm(kind))


def ensure_base_groups():
    access_admin = _perm("wagtailadmin", "access_admin")
    producers = Group.objects.get_or_create(name=roles.PRODUCER_GROUP)[0]
    producers.permissions.add(access_admin)
    officers = Group.objects.get_or_create(name=roles.OFFICER_GROUP)[0]
    officers.permissions.add(access_admin)
    for app_label, model, actions in OFFICER_MODEL_PERMISSIONS:
        officers.permissions.add(*[_perm(app_label, f"{action}_{model}") for action in actions])
    national = Group.objects.get_or_create(name=roles.NATIONAL_ADMIN_GROUP)[0]
    national.permissions.set(Permission.objects.all())
    root_page, root_collection = Page.get_first_root_node(), Collection.get_first_root_node()
    grant_page(national, root_page, ("add", "change", "publish", "bulk_delete", "lock", "unlock"))
    _grant_media(national, root_collection)


def ensure_workflow():
    """Producers' pages (everything under the producers index) go through the province review."""
    task = ProvinceReviewTask.objects.filter(active=True).first() or ProvinceReviewTask.objects.create(
        name="Cán bộ tỉnh duyệt")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first() or Workflow.objects.create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=producer_index(), defaults={"workflow": workflow})
    return workflow


def sync_producer(producer: ProducerPage):
    """The producer's group and collection exist; it and its province's officers hold its page.
    A producer moved to another province is taken away from the old province's officers."""
    producer = producer.specific if hasattr(producer, "specific_class") else producer
    group = producer_group(producer)
    grant_page(group, producer, PRODUCER_PAGE_PERMISSIONS)
    collection = producer_collection(producer)
    _grant_media(group, collection)
    officers = officer_group(producer.province)
    grant_page(officers, producer, OFFICER_PAGE_PERMISSIONS)
    _grant_media(officers, province_collection(producer.province))
    GroupPagePermission.objects.filter(page=producer, group__name__startswith=OFFICER_GROUP_PREFIX).exclude(
        group=officers).delete()
    if collection.get_parent().pk != province_collection(producer.province).pk:
        collection.move(province_collection(producer.province), pos="sorted-child")


def producer_is_synced(producer) -> bool:
    """Cheap check for the save signal: does the province's group already hold this page?"""
    return GroupPagePermission.objects.filter(
        page_id=producer.pk, group__name=officer_group_name(producer.province)).exists() and Group.objects.filter(
        name=producer_group_name(producer)).exists()


def sync_user(user):
    """Put the user in exactly the role groups its links imply."""
    producer_ids = set(ProducerMember.objects.filter(user=user).values_list("producer_id", flat=True))
    provinces = Province.objects.filter(pk__in=ProvinceOfficer.objects.filter(user=user).values("province_id"))
    wanted = {producer_group(p).pk for p in ProducerPage.objects.filter(pk__in=producer_ids)}
    wanted |= {officer_group(p).pk for p in provinces}
    if producer_ids:
        wanted.add(Group.objects.get_or_create(name=roles.PRODUCER_GROUP)[0].pk)
    if provinces:
        wanted.add(Group.objects.get_or_create(name=roles.OFFICER_GROUP)[0].pk)
    role_groups = Group.objects.filter(name__in=[roles.PRODUCER_GROUP, roles.OFFICER_GROUP]) | Group.objects.filter(
        name__startswith=PRODUCER_GROUP_PREFIX) | Group.objects.filter(name__startswith=OFFICER_GROUP_PREFIX)
    current = set(user.groups.filter(pk__in=role_groups.values("pk")).values_list("pk", flat=True))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))
    for attr in ("_ocop_provinces", "_ocop_producers", "_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)


@transaction.atomic
def setup_roles(stdout=None) -> dict:
    """Create or repair every role group, permission, collection and the workflow."""
    ensure_base_groups()
    ensure_workflow()
    producers = ProducerPage.objects.select_related("province")
    for producer in producers:
        sync_producer(producer)
    users = {m.user for m in ProducerMember.objects.select_related("user")}
    users |= {o.user for o in ProvinceOfficer.objects.select_related("user")}
    for user in users:
        sync_user(user)
    roles_set_up.send(sender=setup_roles)
    return {"producers": producers.count(), "users": len(users)}
