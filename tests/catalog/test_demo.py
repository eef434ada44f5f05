"""The demo loader builds the real-name catalogue once; the generator builds a valid large tree."""

import pytest
from django.core.management import call_command

from catalog.demo.generator import check_tree, generate_catalog
from catalog.demo.loader import load_demo
from catalog.models import Certificate, ProducerPage, ProductGroup, ProductPage

pytestmark = pytest.mark.django_db

SEED_PRODUCTS = {
    # title: (stars today, today's province slug, legacy province slug)
    "Vải thiều Thanh Hà": (4, "hai-phong", "hai-duong"),
    "Bánh đậu xanh Rồng Vàng Hoàng Gia": (4, "hai-phong", "hai-duong"),
    "Nấm đông trùng hạ thảo Trường Sinh": (4, "hai-phong", "hai-phong"),
    "Mật ong Đại Hợp": (3, "hai-phong", "hai-phong"),
    "Cá kho làng chài": (4, "hai-phong", "hai-phong"),
    "Gạo ruộng rươi": (4, "hai-phong", "hai-phong"),
    "Chè Cẩm Mỹ": (4, "phu-tho", "phu-tho"),
}


def test_demo_catalogue_has_the_seed_products_in_their_places_and_loads_once(client):
    summary = load_demo()
    assert summary.products_created >= 25 and summary.producers_created >= 12
    for title, (stars, province, legacy) in SEED_PRODUCTS.items():
        product = ProductPage.objects.select_related("producer__province", "producer__legacy_province").get(title=title)
        assert product.live and product.is_demo_data
        assert product.stars == stars, title
        assert product.producer.province.slug == province, title
        assert product.producer.legacy_province.slug == legacy, title
        assert product.variants.exists() and product.images.exists()

    # Every OCOP group has products; producers of every legal form; several provinces.
    assert not ProductGroup.objects.exclude(products__live=True).exists()
    assert set(ProducerPage.objects.values_list("legal_form", flat=True)) == set(ProducerPage.LegalForm.values)
    assert ProducerPage.objects.values("province").distinct().count() >= 6

    # The certificate stories the site must tell: expired, expiring soon, re-rated, five stars.
    assert any(p.certificate_problem == "Chứng nhận OCOP đã hết hạn" for p in ProductPage.objects.all())
    assert Certificate.objects.expiring_within(90).exists()
    che = ProductPage.objects.get(title="Chè Cẩm Mỹ")
    assert [c.stars for c in che.certificate_history] == [4, 3]
    assert ProductPage.objects.filter(certificates__stars=5).exists()
    assert all(c.expires_on > c.decision_date for c in Certificate.objects.all())

    lychee = ProductPage.objects.get(title="Vải thiều Thanh Hà")
    assert lychee.season_month_numbers == [5, 6, 7]
    html = client.get(lychee.url).content.decode()
    assert "Giá và tồn kho minh hoạ" in html

    counts = (ProducerPage.objects.count(), ProductPage.objects.count(), Certificate.objects.count())
    assert load_demo().already_loaded
    assert (ProducerPage.objects.count(), ProductPage.objects.count(), Certificate.objects.count()) == counts


def test_generated_catalogue_is_a_valid_tree_of_live_products(client):
    result = generate_catalog(120, producers=12, seed=7, progress=False)
    assert (result.products, result.producers) == (120, 12)
    assert check_tree() == []
    products = ProductPage.objects.live().filter(title__startswith="Sản phẩm thử nghiệm")
    assert products.count() == 120
    assert not products.filter(producer=None).exists()
    sample = products.order_by("?").first()
    assert client.get(sample.url).status_code == 200
    assert sample.variants.exists()
    assert client.get("/san-pham/?trang=3").status_code == 200
    generate_catalog(30, seed=8, progress=False)  # a second run appends, numbering continues
    assert check_tree() == []
    assert ProductPage.objects.live().count() == 150


def test_generate_catalog_command_refuses_nonsense(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_catalog", "--products", "0")
