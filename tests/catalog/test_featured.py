""""Nổi bật trên trang chủ" (featured) is the province's call: officers of the product's province and
national admins change it; a producer member sees it disabled, and a forged POST changes nothing."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from catalog import roles
from catalog.models import ProducerMember, ProductPage, ProvinceOfficer
from catalog.permissions import setup_roles
from tests.factories import make_producer, make_product, province

pytestmark = pytest.mark.django_db


class EditForm(HTMLParser):
    """The fields a browser would send from Wagtail's page edit form, as (name, value) pairs."""

    def __init__(self):
        super().__init__()
        self.pairs, self.inside, self.select, self.textarea, self.disabled = [], False, None, None, set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "page-edit-form":
            self.inside = True
        if not self.inside:
            return
        if "disabled" in a and a.get("name"):
            self.disabled.add(a["name"])
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a or kind in ("submit", "button", "file"):
                return
            self.pairs.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.pairs.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.pairs.append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None


def edit_form(client, page):
    """GET the editor: the form data it would send back unchanged, and the names of disabled fields."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    parser = EditForm()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.pairs:
        data.setdefault(name, []).append(value)
    return data, parser.disabled


@pytest.fixture
def world(django_user_model):
    setup_roles()
    honey = make_producer(title="HTX Mật ong Hải Phòng")
    product = make_product(producer=honey, title="Mật ong hoa nhãn")
    member = django_user_model.objects.create_user("htx-mat-ong", "htx@example.com", "pw-featured-123")
    ProducerMember.objects.create(user=member, producer=honey)
    officer = django_user_model.objects.create_user("canbo-hp", "canbo@example.com", "pw-featured-123")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    national = django_user_model.objects.create_user("quoc-gia", "qg@example.com", "pw-featured-123")
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    return {"product": product, "member": member, "officer": officer, "national": national}


def latest(product):
    return ProductPage.objects.get(pk=product.pk).get_latest_revision_as_object()


def test_a_producer_sees_featured_disabled_and_a_forged_post_changes_nothing(client, world):
    product = world["product"]
    client.force_login(world["member"])
    data, disabled = edit_form(client, product)
    assert "featured" in disabled and "featured" not in data

    data["featured"] = ["on"]  # forged: the browser would not send a disabled checkbox
    data["intro"] = ["Mật ong hoa nhãn Đại Hợp, vụ mới."]
    response = client.post(reverse("wagtailadmin_pages:edit", args=[product.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = latest(product)
    assert draft.intro == "Mật ong hoa nhãn Đại Hợp, vụ mới."  # the edit itself was saved
    assert draft.featured is False
    assert ProductPage.objects.get(pk=product.pk).featured is False


@pytest.mark.parametrize("who", ["officer", "national"])
def test_the_provinces_officer_and_national_admins_feature_a_product(client, world, who):
    product = world["product"]
    client.force_login(world[who])
    data, disabled = edit_form(client, product)
    assert "featured" not in disabled
    data["featured"] = ["on"]
    data["action-publish"] = ["action-publish"]
    response = client.post(reverse("wagtailadmin_pages:edit", args=[product.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ProductPage.objects.get(pk=product.pk).featured is True


def test_an_officer_of_another_province_cannot_feature_it(world, django_user_model, rf):
    """The form itself refuses: an officer elsewhere (who cannot open the page anyway) gets it disabled."""
    outsider = django_user_model.objects.create_user("canbo-hn", "hn@example.com", "pw-featured-123")
    ProvinceOfficer.objects.create(user=outsider, province=province("ha-noi"))
    product = ProductPage.objects.get(pk=world["product"].pk)
    form_class = product.get_edit_handler().get_form_class()
    assert form_class(instance=product, for_user=outsider).fields["featured"].disabled
    assert not form_class(instance=product, for_user=world["officer"]).fields["featured"].disabled
