"""The trading floor's own face (Decree 52/2013 as amended by 85/2021): who runs it, in every page's
footer; its rules and policies as pages that load_demo creates once, linked from the footer and the
checkout, never as a link to a missing page."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from storefront import policies
from storefront.models import SiteSettings, StandardPage
from tests.factories import make_product
from tests.shop.test_checkout import add

pytestmark = pytest.mark.django_db
MOIT_URL = "http://online.gov.vn/Home/WebDetails/123456"


@pytest.fixture(autouse=True)
def _no_policy_pages():
    """Each test starts without policy pages, whatever an earlier test committed (a transactional
    test that ran load_demo leaves them in the database on PostgreSQL)."""
    for page in StandardPage.objects.filter(slug__in=policies.SLUGS):
        page.delete()


def footer(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html[html.index('<footer class="site-footer">'):html.index("</footer>")]


def operator_settings(**fields):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(site_settings, name, value)
    site_settings.full_clean()
    site_settings.save()
    return site_settings


def policy_hrefs(html):
    """The policy page URLs linked in `html`, in order."""
    urls = {page.url: page.slug for page in StandardPage.objects.filter(slug__in=policies.SLUGS)}
    return [urls[href] for href in re.findall(r'href="([^"]+)"', html) if href in urls]


def test_the_footer_names_who_runs_the_floor_from_the_site_settings(client):
    operator_settings(
        operator_name="Công ty cổ phần Sàn OCOP Việt", business_registration="0109876543",
        business_registration_issued="Sở Kế hoạch và Đầu tư TP. Hà Nội cấp lần đầu ngày 12/03/2019",
        address="12 Tràng Tiền, phường Hoàn Kiếm, Hà Nội", hotline="1900 6868", email="hotro@ocop.example",
    )
    html = footer(client)
    contact = html[html.index('id="footer-contact"'):html.index('id="footer-links"')]
    for text in ("Công ty cổ phần Sàn OCOP Việt", "0109876543", "cấp lần đầu ngày 12/03/2019",
                 "12 Tràng Tiền, phường Hoàn Kiếm, Hà Nội", 'href="tel:19006868"', 'href="mailto:hotro@ocop.example"'):
        assert text in contact, text
    assert "Chủ thể OCOP: đăng ký bán hàng" in contact  # the existing column keeps its links


def test_the_moit_badge_shows_only_with_a_registration_url_and_links_to_it(client):
    assert "moit-registered.svg" not in footer(client)
    operator_settings(moit_registration_url=MOIT_URL)
    html = footer(client)
    badge = re.search(r'<a href="([^"]+)"[^>]*><img src="([^"]+)"[^>]*alt="([^"]+)"', html)
    assert badge.groups() == (MOIT_URL, "/static/img/moit-registered.svg", "Đã đăng ký Bộ Công Thương")


def test_a_moit_url_must_be_a_web_address():
    with pytest.raises(ValidationError) as refused:
        operator_settings(moit_registration_url="javascript:alert(1)")
    assert "moit_registration_url" in refused.value.message_dict


def test_changing_the_operator_details_refreshes_cached_pages(client, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_CLOCK_MARGIN = 3600, 0
    operator_settings(operator_name="HTX Cũ")
    assert client.get("/")["X-Page-Cache"] == "miss" and client.get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        operator_settings(operator_name="Công ty Sàn Mới", moit_registration_url=MOIT_URL)
    response = client.get("/")
    html = response.content.decode()
    assert response["X-Page-Cache"] == "miss" and "Công ty Sàn Mới" in html and MOIT_URL in html


def test_ensure_policy_pages_creates_each_policy_once_under_the_home_page():
    created = policies.ensure_policy_pages()
    home = policies.home_page()
    assert [page.slug for page in created] == list(policies.SLUGS)
    pages = StandardPage.objects.child_of(home).filter(slug__in=policies.SLUGS)
    assert pages.count() == len(policies.POLICIES) and all(page.live for page in pages)
    assert policies.ensure_policy_pages() == []
    assert StandardPage.objects.filter(slug__in=policies.SLUGS).count() == len(policies.POLICIES)


def test_ensure_policy_pages_never_overwrites_an_edited_or_withdrawn_page():
    policies.ensure_policy_pages()
    rules = StandardPage.objects.get(slug="quy-che-hoat-dong")
    rules.body = "<p>Quy chế do ban quản lý sửa.</p>"
    rules.save_revision().publish()
    StandardPage.objects.get(slug="chinh-sach-gia").unpublish()
    assert policies.ensure_policy_pages() == []
    assert StandardPage.objects.get(slug="quy-che-hoat-dong").body == "<p>Quy chế do ban quản lý sửa.</p>"
    assert not StandardPage.objects.get(slug="chinh-sach-gia").live


def test_each_policy_page_renders_its_text_with_this_shops_figures(client):
    policies.ensure_policy_pages()
    for policy in policies.POLICIES:
        page = StandardPage.objects.get(slug=policy.slug)
        response = client.get(page.url)
        html = response.content.decode()
        assert response.status_code == 200 and f"<h1>{policy.title}</h1>" in html, policy.slug
        assert "{" not in page.body, policy.slug  # every figure was filled in
    complaints = client.get(StandardPage.objects.get(slug="giai-quyet-khieu-nai").url).content.decode()
    assert "48 giờ" in complaints and "cán bộ OCOP của tỉnh" in complaints
    returns = client.get(StandardPage.objects.get(slug="chinh-sach-doi-tra").url).content.decode()
    assert "mặc định 7 ngày" in returns
    delivery = client.get(StandardPage.objects.get(slug="chinh-sach-giao-hang").url).content.decode()
    assert "500.000 ₫" in delivery


def test_the_footer_and_the_checkout_link_the_policies(client):
    policies.ensure_policy_pages()
    html = footer(client)
    column = html[html.index('id="footer-policies"'):]
    assert policy_hrefs(column) == list(policies.SLUGS)
    assert "Chính sách đổi trả và hoàn tiền" in column
    assert f'href="{reverse("shop:guest_data")}">Dữ liệu cá nhân của bạn</a>' in column  # for buyers without an account
    add(client, make_product(stock=5))
    checkout = client.get(reverse("shop:checkout")).content.decode()
    consent = re.search(r'<p class="helptext policy-consent">(.*?)</p>', checkout).group(1)
    assert consent.startswith("Bằng việc đặt hàng, bạn đồng ý với")
    assert policy_hrefs(consent) == ["quy-che-hoat-dong", "chinh-sach-doi-tra"]


def test_a_deleted_or_withdrawn_policy_is_not_linked_and_breaks_no_page(client):
    policies.ensure_policy_pages()
    StandardPage.objects.get(slug="chinh-sach-doi-tra").delete()
    StandardPage.objects.get(slug="chinh-sach-bao-mat").unpublish()
    expected = [slug for slug in policies.SLUGS if slug not in ("chinh-sach-doi-tra", "chinh-sach-bao-mat")]
    product = make_product(stock=5)
    for url in ("/", product.url, reverse("catalog:product_list"), StandardPage.objects.get(slug="chinh-sach-gia").url):
        assert policy_hrefs(footer(client, url)) == expected, url
    add(client, product)
    response = client.get(reverse("shop:checkout"))
    consent = re.search(r'<p class="helptext policy-consent">(.*?)</p>', response.content.decode()).group(1)
    assert response.status_code == 200 and policy_hrefs(consent) == ["quy-che-hoat-dong"]
    StandardPage.objects.get(slug="quy-che-hoat-dong").delete()
    response = client.get(reverse("shop:checkout"))
    assert response.status_code == 200 and "policy-consent" not in response.content.decode()


def test_without_any_policy_page_the_footer_has_no_empty_column(client):
    assert 'id="footer-policies"' not in footer(client)


def test_cached_pages_follow_a_policy_page_deleted_or_added(client, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_CLOCK_MARGIN = 3600, 0
    policies.ensure_policy_pages()
    returns = StandardPage.objects.get(slug="chinh-sach-doi-tra")
    assert client.get("/")["X-Page-Cache"] == "miss" and client.get("/")["X-Page-Cache"] == "hit"
    gone = returns.url
    with django_capture_on_commit_callbacks(execute=True):
        returns.delete()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss" and gone not in response.content.decode()
    assert client.get(gone).status_code == 404  # the link it would have been
    assert client.get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        policies.ensure_policy_pages()  # a page cached without the policy shows it once it exists again
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss" and policy_hrefs(footer(client)) == list(policies.SLUGS)


def test_load_demo_creates_the_policy_pages():
    call_command("load_demo", verbosity=0)
    assert set(StandardPage.objects.live().filter(slug__in=policies.SLUGS).values_list("slug", flat=True)) == set(policies.SLUGS)
