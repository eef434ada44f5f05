"""Buyers' ratings kept on the product (`catalog.ratings`): written with an update, never a page save
(no revision, no draft published), announced after the transaction commits and only when they
changed, and kept by every revision a producer's edit goes through afterwards."""

import pytest
from django.db import transaction
from django.urls import reverse
from wagtail.models import Revision

from catalog import ratings
from catalog.models import ProducerMember, ProductPage, ProvinceOfficer
from catalog.permissions import setup_roles
from tests.catalog.test_featured import edit_form
from tests.factories import make_producer, make_product, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    """The `product_ids` of every `ratings_changed` sent during the test."""
    sent = []

    def receiver(sender, product_ids, **kwargs):
        sent.append(product_ids)

    ratings.ratings_changed.connect(receiver)
    yield sent
    ratings.ratings_changed.disconnect(receiver)


def figures(product):
    return tuple(ProductPage.objects.filter(pk=product.pk).values_list("review_count", "review_stars_total").get())


def test_store_writes_both_figures_without_a_revision_or_a_publish():
    product = make_product(title="Mật ong Đại Hợp")
    page = ProductPage.objects.get(pk=product.pk)
    revisions, published_at = Revision.objects.filter(object_id=str(product.pk)).count(), page.last_published_at
    assert figures(product) == (0, 0)
    assert ratings.store(product.pk, 3, 13) is True
    assert figures(product) == (3, 13)
    page = ProductPage.objects.get(pk=product.pk)
    assert Revision.objects.filter(object_id=str(product.pk)).count() == revisions
    assert page.last_published_at == published_at and not page.has_unpublished_changes


def test_the_change_is_announced_after_commit_and_only_when_something_changed(announced,
                                                                               django_capture_on_commit_callbacks):
    product = make_product()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ratings.store(product.pk, 2, 9)
    assert announced == []  # not before the transaction commits
    for callback in callbacks:
        callback()
    assert announced == [[product.pk]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert ratings.store(product.pk, 2, 9) is False  # the same figures: nothing to tell
    assert callbacks == [] and announced == [[product.pk]]


def test_a_rolled_back_change_is_never_announced(announced, django_capture_on_commit_callbacks):
    product = make_product()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            ratings.store(product.pk, 1, 5)
            raise RuntimeError("the moderator's step failed")
    assert announced == [] and figures(product) == (0, 0)


@pytest.mark.parametrize("count, total", [(-1, 0), (0, 3), (2, 11), (2, 1)])
def test_figures_no_reviews_could_make_are_refused(count, total):
    product = make_product()
    with pytest.raises(ValueError):
        ratings.store(product.pk, count, total)
    assert figures(product) == (0, 0)


def test_lock_holds_the_products_rows_inside_a_transaction():
    product = make_product()
    with transaction.atomic():
        ratings.lock([product.pk, None])
        assert ratings.store(product.pk, 1, 4)
    assert figures(product) == (1, 4)


def test_the_average_is_exact_and_none_without_reviews():
    assert ratings.average(0, 0) is None
    assert ratings.average(3, 14) == 14 / 3
    product = make_product()
    ratings.store(product.pk, 6, 23)
    [(average,)] = ratings.with_average(ProductPage.objects.filter(pk=product.pk)).values_list("rating_average")
    assert average == pytest.approx(23 / 6)
    assert ratings.with_average(ProductPage.objects.filter(pk=make_product().pk)).get().rating_average is None


@pytest.fixture
def editors(django_user_model):
    """A producer member (edits go to moderation) and the province's officer (publishes)."""
    setup_roles()
    producer = make_producer(title="HTX Mật ong Hải Phòng")
    product = make_product(producer=producer, title="Mật ong hoa nhãn")
    member = django_user_model.objects.create_user("htx-mat-ong", "htx@example.com", "pw-ratings-123")
    ProducerMember.objects.create(user=member, producer=producer)
    officer = django_user_model.objects.create_user("canbo-hp", "canbo@example.com", "pw-ratings-123")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    return {"product": product, "member": member, "officer": officer}


def test_a_draft_written_before_the_ratings_changed_keeps_them_when_published(client, editors):
    """The producer's draft holds the figures of its day; publishing it (by the officer, in the admin, or
    the draft revision itself) keeps today's."""
    product = editors["product"]
    ratings.store(product.pk, 1, 3)
    client.force_login(editors["member"])
    data, _disabled = edit_form(client, product)
    data["intro"] = ["Mật ong hoa nhãn Đại Hợp, vụ mới."]
    response = client.post(reverse("wagtailadmin_pages:edit", args=[product.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ProductPage.objects.get(pk=product.pk).get_latest_revision()
    assert draft.content["review_count"] == 1  # the draft carries the figures it was written with

    ratings.store(product.pk, 4, 18)  # reviews published meanwhile
    draft.publish()
    page = ProductPage.objects.get(pk=product.pk)
    assert page.intro == "Mật ong hoa nhãn Đại Hợp, vụ mới." and figures(page) == (4, 18)

    ratings.store(product.pk, 5, 23)
    client.force_login(editors["officer"])
    data, _disabled = edit_form(client, product)
    data["intro"] = ["Mật ong hoa nhãn, vụ xuân."]
    data["action-publish"] = ["action-publish"]
    response = client.post(reverse("wagtailadmin_pages:edit", args=[product.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ProductPage.objects.get(pk=product.pk)
    assert page.intro == "Mật ong hoa nhãn, vụ xuân." and figures(page) == (5, 23)

    Revision.objects.get(pk=draft.pk).publish()  # an old revision published again (a revert)
    assert figures(product) == (5, 23)
