"""Trade fairs and OCOP market days: only published, not-yet-over fairs show, on the pages of
their province, of the producers taking part, and (the next three) on the home page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Commune, LegacyProvince, TradeFair
from tests.factories import make_producer, province

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def make_fair(title="Hội chợ OCOP Hải Phòng", starts=5, ends=8, province_slug="hai-phong", producers=(), **fields):
    fields.setdefault("address", "Cung Văn hoá Thể thao")
    fair = TradeFair.objects.create(
        title=title, starts_on=days(starts), ends_on=days(ends), province=province(province_slug), **fields
    )
    fair.producers.set(producers)
    return fair


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_upcoming_keeps_published_fairs_not_over_yet_soonest_first():
    later = make_fair("Hội chợ sau", starts=20, ends=22)
    running = make_fair("Phiên chợ đang diễn ra", starts=-1, ends=0)
    make_fair("Hội chợ đã qua", starts=-10, ends=-1)
    make_fair("Hội chợ chưa công bố", starts=3, ends=4, published=False)
    assert list(TradeFair.objects.upcoming(timezone.localdate())) == [running, later]


def test_date_range_formats():
    fair = TradeFair(starts_on=datetime.date(2026, 12, 12), ends_on=datetime.date(2026, 12, 15))
    assert fair.date_range == "12–15/12/2026"
    fair.ends_on = datetime.date(2027, 1, 3)
    assert fair.date_range == "12/12/2026–3/1/2027"
    fair.starts_on, fair.ends_on = datetime.date(2026, 11, 30), datetime.date(2026, 12, 2)
    assert fair.date_range == "30/11–2/12/2026"
    fair.ends_on = fair.starts_on
    assert fair.date_range == "30/11/2026"


def test_commune_outside_province_is_refused():
    fair = TradeFair(
        title="Phiên chợ", kind=TradeFair.Kind.MARKET_DAY, starts_on=days(1), ends_on=days(1),
        province=province("hai-phong"), commune=Commune.objects.filter(province__slug="ha-noi").first(),
    )
    with pytest.raises(ValidationError) as error:
        fair.full_clean()
    assert "commune" in error.value.message_dict
    assert "không thuộc" in error.value.message_dict["commune"][0]

    fair.commune = Commune.objects.get(name="Xã Thanh Hà", province__slug="hai-phong")
    fair.full_clean()


def test_ending_before_start_is_refused_by_clean_and_database():
    fair = TradeFair(title="Hội chợ", starts_on=days(5), ends_on=days(4), province=province("hai-phong"))
    with pytest.raises(ValidationError) as error:
        fair.full_clean()
    assert "ends_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        fair.save()


def test_province_page_shows_its_upcoming_fairs_with_producers_and_map(client):
    producer = make_producer(title="HTX Vải thiều Thanh Hà")
    make_fair("Hội chợ OCOP Hải Phòng 2026", producers=[producer], map_url="https://maps.example/hp",
              starts=5, ends=8)
    make_fair("Phiên chợ OCOP Hà Nội", province_slug="ha-noi")
    make_fair("Hội chợ năm ngoái", starts=-30, ends=-20)
    make_fair("Hội chợ nháp", published=False)

    html = get(client, province("hai-phong").get_absolute_url())
    assert "Hội chợ OCOP Hải Phòng 2026" in html
    assert "Phiên chợ OCOP Hà Nội" not in html
    assert "Hội chợ năm ngoái" not in html and "Hội chợ nháp" not in html
    fair = TradeFair.objects.get(title="Hội chợ OCOP Hải Phòng 2026")
    assert fair.date_range in html
    assert 'href="https://maps.example/hp" rel="noopener"' in html
    assert f'href="{producer.url}"' in html


def test_legacy_province_page_shows_fairs_of_the_successor_province(client):
    make_fair("Hội chợ OCOP Hải Phòng 2026")
    legacy = LegacyProvince.objects.get(slug="hai-duong")
    assert legacy.current_province.slug == "hai-phong"
    assert "Hội chợ OCOP Hải Phòng 2026" in get(client, legacy.get_absolute_url())


def test_producer_page_shows_fairs_it_takes_part_in(client):
    producer = make_producer(title="HTX Vải thiều Thanh Hà")
    other = make_producer(title="HTX Gạo nếp")
    make_fair("Phiên chợ OCOP cuối tuần", producers=[producer, other], province_slug="ha-noi")
    make_fair("Hội chợ không tham gia", producers=[other])

    html = get(client, producer.url)
    assert "Phiên chợ OCOP cuối tuần" in html
    assert "Hội chợ không tham gia" not in html
    assert f'href="{other.url}"' in html


def test_home_page_shows_next_three_fairs_anywhere(client):
    for n in range(4):
        make_fair(f"Hội chợ số {n}", starts=n + 1, ends=n + 2, province_slug="ha-noi" if n % 2 else "hai-phong")
    make_fair("Hội chợ đã qua", starts=-5, ends=-2)
    html = get(client, "/")
    assert all(f"Hội chợ số {n}" in html for n in range(3))
    assert "Hội chợ số 3" not in html and "Hội chợ đã qua" not in html


def test_fairs_list_queries_do_not_grow_with_producers():
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            for fair in TradeFair.objects.upcoming(timezone.localdate()).for_listing():
                [producer.title for producer in fair.producers.all()]
                fair.place  # noqa: B018
        return len(queries)

    make_fair("Hội chợ 1", producers=[make_producer()])
    baseline = count_queries()
    make_fair("Hội chợ 2", producers=[make_producer(), make_producer()])
    make_fair("Hội chợ 3", producers=[make_producer()], commune=Commune.objects.get(name="Xã Thanh Hà", province__slug="hai-phong"))
    assert count_queries() == baseline


def test_fairs_are_a_snippet_with_list_and_filters(admin_client):
    from django.urls import reverse

    make_fair("Hội chợ OCOP Hải Phòng 2026")
    url = reverse("wagtailsnippets_catalog_tradefair:list")
    html = get(admin_client, url)
    assert "Hội chợ OCOP Hải Phòng 2026" in html
    assert get(admin_client, url + f"?province={province('hai-phong').pk}&kind=hoi_cho")
    assert admin_client.get(reverse("wagtailsnippets_catalog_tradefair:add")).status_code == 200
