"""Producers and officers work in Vietnamese: the admin screens they use every day show none of the
English phrases Wagtail's own vi catalogue leaves untranslated (completed in locale/vi), the admin
carries OCOP's name and logo, and avatars are never fetched from Gravatar."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from catalog.models import ProducerMember, ProvinceOfficer
from catalog.permissions import setup_roles
from tests.factories import make_image, make_producer, make_product, province

pytestmark = pytest.mark.django_db

# English that these screens showed before locale/vi was completed (found by loading them in vi).
ENGLISH = [
    "Search all pages", "Your most recent edits", "Awaiting your review", "Save draft", "Page 1 of", "of 1",
    "Add child page", "Submit to", "Submit for moderation", "Publish", "Preview", "History", "Status",
    "Edit this page", "View live", "View draft", "Current draft", "Live", "In Moderation", "Workflow history",
    "Sort by", "Newest", "Oldest", "Grid layout", "Clear choice", "Choose another", "Bulk actions",
    "Select all", "Explore", "Comments", "Checks", "Privacy", "schedule", "Reading time", "Keyboard shortcuts",
    "Profile", "Notifications", "Language", "Theme preferences", "Upload a profile picture", "You haven't",
    "Sign in", "Forgotten password", "Remember me", "Password", "Signing in", "Reports", "Help",
    "Skip to main content", "Actions", "More options", "Search the whole site", "Enter a search term",
    "There is one matching page", "Changes requested", "Approved by", "Sent to", "Task", "Save changes",
    "Locking", "Anyone can edit", "Page title", "Show in menus", "Slug", "Title tag", "unsaved", "Autosave",
    "JavaScript is required", "just now", "Just now", "Aging pages", "Site history", "Workflows",
    "Page types usage", "Editor Guide", "What's new",
]
PHRASE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ENGLISH) + r")\b")


class VisibleText(HTMLParser):
    """What a person reads on the page: text (not inside <script>/<style>), placeholders and the labels
    of submit buttons; tags and other attributes (class names, icon ids) are ignored."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        if attrs.get("placeholder"):
            self.parts.append(attrs["placeholder"])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    if response.headers.get("Content-Type", "").startswith("application/json"):  # a chooser's modal
        html = response.json()["html"]
    else:
        html = response.content.decode()
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def sidebar_labels(response) -> list[str]:
    """The sidebar's menu (drawn by a script from JSON): its items' labels."""
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
                      response.content.decode(), re.DOTALL)
    return re.findall(r'"label": "([^"]*)"', props.group(1)) if props else []


def english_on(response) -> list[str]:
    texts = visible_text(response)
    if not response.headers.get("Content-Type", "").startswith("application/json"):
        texts += sidebar_labels(response)
    return sorted({f"{m.group(0)!r} in {text!r}" for text in texts for m in PHRASE.finditer(text)})


@pytest.fixture
def world(django_user_model):
    setup_roles()
    honey = make_producer(title="HTX Mật ong Hải Phòng")
    product = make_product(producer=honey, title="Mật ong hoa nhãn")
    make_image(title="Ảnh hũ mật ong")
    member = django_user_model.objects.create_user("htx-mat-ong", "htx@example.com", "pw-vi-12345")
    ProducerMember.objects.create(user=member, producer=honey)
    officer = django_user_model.objects.create_user("canbo-hp", "canbo@example.com", "pw-vi-12345")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    return {"honey": honey, "product": product, "member": member, "officer": officer}


def daily_screens(world):
    honey, product = world["honey"], world["product"]
    search = reverse("wagtailadmin_pages:search")
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore", args=[honey.pk]),
        "product editor": reverse("wagtailadmin_pages:edit", args=[product.pk]),
        "new product": reverse("wagtailadmin_pages:add", args=["catalog", "productpage", honey.pk]),
        "history": reverse("wagtailadmin_pages:history", args=[product.pk]),
        "page chooser": reverse("wagtailadmin_choose_page_child", args=[honey.pk]),
        "image chooser": reverse("wagtailimages_chooser:choose"),
        "images": reverse("wagtailimages:index"),
        "documents": reverse("wagtaildocs:index"),
        "account": reverse("wagtailadmin_account"),
        "search": f"{search}?q=m%E1%BA%ADt+ong",
        "search, nothing found": f"{search}?q=zzqx",
    }


@pytest.mark.parametrize("role", ["member", "officer"])
def test_the_daily_admin_screens_are_in_vietnamese(client, world, role):
    client.force_login(world[role])
    found = {name: english_on(client.get(url)) for name, url in daily_screens(world).items()}
    assert {name: phrases for name, phrases in found.items() if phrases} == {}


def test_moderation_screens_and_messages_are_in_vietnamese(client, world):
    from tests.catalog.test_roles import producer_form

    honey = world["honey"]
    client.force_login(world["member"])
    edit = reverse("wagtailadmin_pages:edit", args=[honey.pk])
    submitted = client.post(edit, producer_form(honey, title="HTX Mật ong Hải Phòng mới", **{"action-submit": "1"}),
                            follow=True)
    assert english_on(submitted) == []
    assert "đã được gửi duyệt" in " ".join(visible_text(submitted))
    assert english_on(client.get(edit)) == []  # in moderation: the status panel and action menu

    client.force_login(world["officer"])
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert english_on(dashboard) == []
    assert "Chờ bạn duyệt" in " ".join(visible_text(dashboard))
    assert english_on(client.get(edit)) == []


def test_sign_in_and_password_reset_are_in_vietnamese_with_ocop_branding(client):
    login = client.get(reverse("wagtailadmin_login"))
    assert english_on(login) == []
    page = login.content.decode()
    assert "<title>Đăng nhập - OCOP Việt Nam – Quản trị</title>" in page
    assert "img/icon.svg" in page and "Sign in to Wagtail" not in page
    assert english_on(client.get(reverse("wagtailadmin_password_reset"))) == []


def test_the_admin_carries_ocop_branding_and_no_gravatar(client, world):
    client.force_login(world["member"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r"<title>[^<]* - OCOP Việt Nam – Quản trị</title>", page)
    assert 'rel="icon" href="/static/img/icon.svg"' in page
    assert "Quản trị OCOP Việt Nam" in page  # the dashboard's heading
    assert "catalog/css/admin.css" in page
    assert "gravatar" not in page.lower()


def test_the_admin_scripts_strings_are_in_vietnamese(client, world):
    """Wagtail's scripts (the editor, the sidebar, autosave) read their strings from the admin's
    JavaScript catalogue, which includes locale/vi's djangojs.po."""
    client.force_login(world["member"])
    catalogue = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for vietnamese in ("Menu chính", "Đang tự động lưu…", "Viết gì đó hoặc gõ “/” để chèn khối"):
        assert json.dumps(vietnamese)[1:-1] in catalogue  # the catalogue escapes non-ASCII letters
