"""The review step of producers' edits: an officer of the page's own province approves or asks for
changes. Wagtail's group approval cannot say "the province this page belongs to", so this task
decides who may review from the page itself, through `catalog.roles`."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from catalog import roles
from catalog.models.producers import ProducerPage
from catalog.models.products import ProductPage


def page_province_id(obj):
    """The province a page answers to: a producer's own, a product's producer's; else None."""
    page = obj.specific if hasattr(obj, "specific") else obj
    if isinstance(page, ProducerPage):
        return page.province_id
    if isinstance(page, ProductPage):
        parent = page.get_parent().specific if page.path else None
        return getattr(parent, "province_id", None)
    return getattr(page, "province_id", None)


class ProvinceReviewTask(Task):
    """Approved (and so published) or sent back with a comment by an officer of the page's province,
    or by a national admin."""

    def may_review(self, obj, user) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        return roles.is_national_admin(user) or page_province_id(obj) in roles.officer_province_ids(user)

    def user_can_access_editor(self, obj, user):
        return self.may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.may_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.may_review(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self.may_review(obj, user):
            return []
        return [
            ("reject", _("Yêu cầu sửa"), True),
            ("approve", _("Duyệt và xuất bản"), False),
            ("approve", _("Duyệt kèm nhận xét"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if roles.is_national_admin(user):
            return states
        provinces = roles.officer_province_ids(user)
        if not provinces:
            return TaskState.objects.none()
        page_ids = [str(pk) for pk in ProducerPage.objects.filter(province_id__in=provinces).values_list("pk", flat=True)]
        page_ids += [str(pk) for pk in ProductPage.objects.filter(
            producer__province_id__in=provinces).values_list("pk", flat=True)]
        return states.filter(workflow_state__object_id__in=page_ids)

    @classmethod
    def get_description(cls):
        return _("Cán bộ OCOP của tỉnh nơi chủ thể đăng ký duyệt hoặc yêu cầu sửa")

    class Meta:
        verbose_name = _("duyệt của cán bộ tỉnh")
        verbose_name_plural = _("duyệt của cán bộ tỉnh")
