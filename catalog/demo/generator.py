"""A large synthetic catalogue for benchmarks and load tests (`manage.py generate_catalog`).

Scale is the point: 20,000 products (the national catalogue is about 18,000) must load in a couple
of minutes. Wagtail's `add_child` saves one page at a time, with a revision, search indexing and
tree locking, which takes hours at this size; so pages are written in bulk here:

1. the `wagtailcore_page` rows are bulk-created with treebeard's materialised paths computed here
   (parent path + a 4-character base-36 step, `Page._get_path`), depth, numchild and url_path set,
   the ContentType of the specific model, live and published;
2. the rows of the specific tables (`catalog_producerpage`, `catalog_productpage`) are inserted in
   bulk with the same primary keys (`page_ptr_id`). Django's `bulk_create` refuses multi-table
   inheritance, so this uses the insert step `bulk_create` itself is built on (`QuerySet._insert`),
   which runs on SQLite and PostgreSQL alike and fires no signals;
3. variants, certificates (with `expires_on` computed, since `Certificate.save()` is bypassed),
   seasons and standards are bulk-created; `ProductPage.producer_id` is set directly.

Nothing here calls `save()` on a page, so no revision, log entry or search-index entry is made:
re-index with the search app's command afterwards if the test needs search.

Everything synthetic says so: titles are "Sản phẩm thử nghiệm #00042 – Mật ong", producers
"Hợp tác xã thử nghiệm #0042", slugs start with `san-pham-thu-nghiem-` / `chu-the-thu-nghiem-`,
and `is_demo_data` is set. Numbers continue after those of earlier runs, so running it twice adds
a second batch instead of colliding.
"""

import datetime
import math
import random
import re
import time
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from tqdm import tqdm
from wagtail.models import Locale, Page

from catalog.demo.issuers import issuer_for
from catalog.demo.loader import demo_identity, ensure_reference_data
from catalog.demo.generator_places import Places
from catalog.models import Certificate, ProducerPage, ProductGroup, ProductPage, ProductVariant, Standard
from catalog.models.certificates import STAR_SCORE_RANGES, VALIDITY_MONTHS, add_months
from catalog.tree import producer_index

PRODUCER_SLUG_PREFIX = "chu-the-thu-nghiem-"
PRODUCT_SLUG_PREFIX = "san-pham-thu-nghiem-"
SKU_PREFIX = "GEN"
PRODUCTS_PER_PRODUCER = 10
CHUNK_SIZE = 2000

# Shares of producers by legal form (end of 2023: 38% cooperatives, 24% enterprises, 35% households).
LEGAL_FORMS = [("htx", "Hợp tác xã", 38), ("doanh_nghiep", "Doanh nghiệp", 24),
               ("ho_kinh_doanh", "Hộ kinh doanh", 35), ("to_hop_tac", "Tổ hợp tác", 3)]
# Stars of the national catalogue, roughly (mid-2025: about 16,000 products, 126 of them 5★).
STAR_WEIGHTS = {3: 62, 4: 37, 5: 1}
# Share of products per OCOP group (food dominates the real catalogue).
GROUP_WEIGHTS = {"thuc-pham": 68, "do-uong": 10, "duoc-lieu": 10, "thu-cong-my-nghe": 8,
                 "sinh-vat-canh": 2, "du-lich": 2}
# What a product of each sub-group is called, to make titles readable.
NOUNS = {
    "rau-cu-qua-hat-tuoi": ["Vải", "Nhãn", "Bưởi", "Cam", "Xoài", "Thanh long", "Na", "Ổi", "Rau cải"],
    "thit-thuy-san-trung-sua": ["Gà đồi", "Trứng vịt", "Tôm", "Cá", "Sữa bò tươi", "Thịt lợn đen"],
    "gao-ngu-coc": ["Gạo", "Gạo nếp", "Ngô", "Miến dong"],
    "mat-ong-nong-san-so-che": ["Mật ong", "Lạc", "Tỏi", "Hạt điều", "Nấm hương"],
    "thuc-pham-che-bien": ["Bánh", "Giò", "Chả", "Mứt", "Ruốc", "Bún khô", "Kẹo"],
    "gia-vi-nuoc-mam": ["Nước mắm", "Tương", "Muối tôm", "Tinh bột nghệ", "Hạt tiêu"],
    "che": ["Chè xanh", "Chè shan tuyết", "Trà túi lọc"],
    "ca-phe-ca-cao": ["Cà phê", "Ca cao"],
    "do-uong-co-con": ["Rượu nếp", "Rượu ngô", "Rượu vang"],
    "do-uong-khong-con": ["Nước ép", "Trà thảo mộc", "Nước cốt gừng"],
    "thuc-pham-chuc-nang": ["Đông trùng hạ thảo", "Tinh bột nghệ nano", "Trà hoa vàng"],
    "thuoc-duoc-lieu": ["Ba kích", "Cao actiso", "Đinh lăng"],
    "my-pham": ["Xà phòng thảo dược", "Dầu gội bồ kết"],
    "tinh-dau": ["Tinh dầu quế", "Tinh dầu sả", "Tinh dầu tràm"],
    "go": ["Tượng gỗ", "Hộp gỗ"],
    "soi-tu-nhien": ["Giỏ mây", "Chiếu cói", "Làn tre"],
    "kim-loai": ["Đồ đồng", "Dao rèn"],
    "gom-su": ["Bình gốm", "Bộ ấm chén"],
    "det-may-theu": ["Khăn thổ cẩm", "Tranh thêu"],
    "hoa": ["Hoa lan", "Hoa cúc"],
    "cay-canh": ["Bonsai", "Cây thế"],
    "dong-vat-canh": ["Cá cảnh", "Chim cảnh"],
    "du-lich-cong-dong": ["Homestay", "Tour trải nghiệm"],
    "du-lich-sinh-thai": ["Du lịch sinh thái"],
    "diem-du-lich": ["Điểm du lịch"],
}
# Packs per group: (name, grams) and a price range per pack in đồng.
PACKS = {
    "thuc-pham": [("Gói 250 g", 250), ("Hộp 500 g", 500), ("Túi 1 kg", 1000), ("Thùng 5 kg", 5000)],
    "do-uong": [("Chai 330 ml", 450), ("Chai 500 ml", 800), ("Bình 1 lít", 1500)],
    "duoc-lieu": [("Hộp 50 g", 100), ("Hộp 100 g", 180), ("Túi 500 g", 550)],
    "thu-cong-my-nghe": [("Cỡ nhỏ", 500), ("Cỡ vừa", 1500), ("Cỡ lớn", 4000)],
    "sinh-vat-canh": [("Chậu nhỏ", 2000), ("Chậu lớn", 8000)],
    "du-lich": [("Vé 1 người", 20), ("Gói 2 ngày 1 đêm", 20)],
}
PRICE_PER_GRAM = {"thuc-pham": (60, 400), "do-uong": (150, 500), "duoc-lieu": (800, 6000),
                  "thu-cong-my-nghe": (150, 900), "sinh-vat-canh": (80, 300)}
SEASONAL_SUBGROUPS = {"rau-cu-qua-hat-tuoi", "hoa"}
SYNTHETIC_NOTE = "Dữ liệu tổng hợp do lệnh generate_catalog tạo để thử tải; không phải sản phẩm thật."


@dataclass
class Result:
    producers: int = 0
    products: int = 0
    variants: int = 0
    certificates: int = 0
    seed: int = 0
    seconds: float = 0.0


def next_number(model, prefix: str) -> int:
    """1 + the highest number used in slugs `prefix<number>` so far."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)")
    slugs = model.objects.filter(slug__startswith=prefix).values_list("slug", flat=True).iterator()
    return max((int(m.group(1)) for slug in slugs if (m := pattern.match(slug))), default=0) + 1


def split_products(rng: random.Random, products: int, producers: int) -> list[int]:
    """How many products each producer gets: at least one, a skewed (Pareto) share of the rest."""
    counts = [1] * producers
    weights = [rng.paretovariate(1.6) for _ in range(producers)]
    for index, extra in Counter(rng.choices(range(producers), weights, k=products - producers)).items():
        counts[index] += extra
    return counts


class Generator:
    def __init__(self, products: int, producers: int | None, seed: int, progress: bool = True):
        self.products_wanted = products
        self.producers_wanted = min(products, producers or max(1, math.ceil(products / PRODUCTS_PER_PRODUCER)))
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress
        self.db = router.db_for_write(Page)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.result = Result(seed=seed)

    # --- bulk page rows ------------------------------------------------------------------------

    PAGE_FIELDS = [f for f in Page._meta.concrete_fields if not f.primary_key]

    def insert_pages(self, objs) -> None:
        """Write the `wagtailcore_page` rows, then the specific rows with the same ids."""
        rows = [Page(**{f.attname: getattr(obj, f.attname) for f in self.PAGE_FIELDS}) for obj in objs]
        Page.objects.using(self.db).bulk_create(rows)
        for obj, row in zip(objs, rows):
            if row.pk is None:  # a backend that cannot return ids from a bulk insert
                raise RuntimeError("The database did not return the ids of bulk-created pages")
            obj.id = obj.page_ptr_id = row.pk
            obj._state.adding = False
            obj._state.db = self.db
        model = type(objs[0])
        fields = model._meta.local_concrete_fields
        batch = max(1, connections[self.db].ops.bulk_batch_size(fields, objs))
        for start in range(0, len(objs), batch):
            model._base_manager.using(self.db)._insert(objs[start:start + batch], fields=fields, using=self.db)

    def page_kwargs(self, title: str, slug: str, parent_path: str, parent_depth: int, parent_url: str, step: int):
        published = self.now - datetime.timedelta(seconds=self.rng.randint(0, 730 * 86400))
        return dict(
            title=title, draft_title=title, slug=slug,
            path=Page._get_path(parent_path, parent_depth + 1, step), depth=parent_depth + 1,
            url_path=f"{parent_url}{slug}/", locale_id=self.locale_id,
            live=True, has_unpublished_changes=False,
            first_published_at=published, last_published_at=published,
        )

    # --- the catalogue -------------------------------------------------------------------------

    def load_references(self):
        self.locale_id = Locale.get_default().pk
        self.producer_type = ContentType.objects.get_for_model(ProducerPage)
        self.product_type = ContentType.objects.get_for_model(ProductPage)
        self.places = Places()
        self.groups = {g.slug: g for g in ProductGroup.objects.prefetch_related("subgroups")}
        self.subgroups = {slug: list(group.subgroups.all()) for slug, group in self.groups.items()}
        self.standard_ids = list(Standard.objects.values_list("pk", flat=True))
        self.group_slugs = [slug for slug in GROUP_WEIGHTS if slug in self.groups] or list(self.groups)
        self.group_weights = [GROUP_WEIGHTS.get(slug, 1) for slug in self.group_slugs]

    def make_producers(self, index, counts: list[int]):
        last = (Page.objects.using(self.db).filter(path__startswith=index.path, depth=index.depth + 1)
                .order_by("-path").values_list("path", flat=True).first())
        first_step = (Page._str2int(last[-Page.steplen:]) if last else 0) + 1
        first_number = next_number(ProducerPage, PRODUCER_SLUG_PREFIX)
        producers = []
        for offset, count in enumerate(counts):
            number = first_number + offset
            form, label, _ = self.rng.choices(LEGAL_FORMS, [w for *_, w in LEGAL_FORMS])[0]
            legacy_province, district, commune_id, province = self.places.pick(self.rng)
            slug = f"{PRODUCER_SLUG_PREFIX}{number:04d}"
            title = f"{label} thử nghiệm #{number:04d} ({province.short_name})"
            producer = ProducerPage(
                **self.page_kwargs(title, slug, index.path, index.depth, index.url_path, first_step + offset),
                **demo_identity(number, form, title), street_address=f"Thôn thử nghiệm {number}",
                numchild=count, content_type_id=self.producer_type.pk,
                legal_form=form, intro=SYNTHETIC_NOTE, commune_id=commune_id, province_id=province.pk,
                legacy_province_id=legacy_province.pk, legacy_district_id=district.pk,
                story=[{"type": "paragraph", "value": f"<p>{SYNTHETIC_NOTE}</p>"}],
            )
            producer.units = (province.name, legacy_province.name, district.name)
            producers.append(producer)
        for start in range(0, len(producers), CHUNK_SIZE):
            self.insert_pages(producers[start:start + CHUNK_SIZE])
        through = ProducerPage.standards.through
        through.objects.using(self.db).bulk_create(
            [through(producerpage_id=p.pk, standard_id=s) for p in producers
             for s in self.rng.sample(self.standard_ids, self.rng.choice([0, 0, 1, 2]))],
            batch_size=5000,
        )
        Page.objects.using(self.db).filter(pk=index.pk).update(numchild=F("numchild") + len(producers))
        self.result.producers = len(producers)
        return producers

    def certificates_for(self, product_id: int, units) -> list[Certificate]:
        rng, today = self.rng, self.today
        valid_from = add_months(today, -VALIDITY_MONTHS) + datetime.timedelta(days=1)

        def day_between(start, end):
            return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))

        def stars():
            return rng.choices(list(STAR_WEIGHTS), list(STAR_WEIGHTS.values()))[0]

        scenario = rng.random()
        plan = []  # (stars, decision date, revoked on)
        if scenario < 0.05:  # lapsed and never re-rated
            plan.append((stars(), day_between(add_months(today, -60), valid_from - datetime.timedelta(days=2)), None))
        elif scenario < 0.07:  # revoked by the province
            day = day_between(valid_from, today - datetime.timedelta(days=30))
            plan.append((stars(), day, day_between(day + datetime.timedelta(days=1), today)))
        elif scenario < 0.17:  # re-rated after 36 months
            new_day = day_between(valid_from, today - datetime.timedelta(days=1))
            old_day = add_months(new_day, -VALIDITY_MONTHS) - datetime.timedelta(days=rng.randint(1, 90))
            old_stars = rng.choice([3, 3, 4])
            plan += [(old_stars, old_day, None), (max(old_stars, stars()), new_day, None)]
        else:
            plan.append((stars(), day_between(valid_from, today - datetime.timedelta(days=1)), None))

        province_name, legacy_province_name, district_name = units
        certificates, numbers = [], set()
        for star_count, day, revoked in plan:
            issuer = issuer_for(star_count, day, province_name=province_name,
                                legacy_province_name=legacy_province_name, legacy_district_name=district_name)
            number = rng.randint(100, 5999)
            while number in numbers:
                number += 1
            numbers.add(number)
            low, high = STAR_SCORE_RANGES[star_count]
            certificates.append(Certificate(
                product_id=product_id, stars=star_count, score=rng.randint(low, high),
                decision_number=issuer.decision_number(number), decision_date=day,
                issuing_body=issuer.body, level=issuer.level,
                expires_on=add_months(day, VALIDITY_MONTHS),
                revoked_on=revoked,
                revocation_reason="Không duy trì tiêu chuẩn sau kiểm tra (dữ liệu thử)" if revoked else "",
            ))
        return certificates

    def make_products(self, producers):
        first_number = next_number(ProductPage, PRODUCT_SLUG_PREFIX)
        number = first_number
        months_through = ProductPage.season_months.through
        standards_through = ProductPage.standards.through
        bar = tqdm(total=self.products_wanted, unit="sp", desc="Sản phẩm", disable=not self.progress)
        pending = []

        def flush():
            if not pending:
                return
            self.insert_pages([page for page, *_ in pending])
            variants, certificates, months, standards = [], [], [], []
            for page, group_slug, subgroup_slug, units in pending:
                variants += self.variants_for(page, group_slug)
                certificates += self.certificates_for(page.pk, units)
                if subgroup_slug in SEASONAL_SUBGROUPS:
                    start, length = self.rng.randint(1, 12), self.rng.randint(2, 4)
                    months += [months_through(productpage_id=page.pk, month_id=(start + i - 1) % 12 + 1)
                               for i in range(length)]
                standards += [standards_through(productpage_id=page.pk, standard_id=s)
                              for s in self.rng.sample(self.standard_ids, self.rng.choice([0, 1, 1, 2]))]
            ProductVariant.objects.using(self.db).bulk_create(variants, batch_size=2000)
            Certificate.objects.using(self.db).bulk_create(certificates, batch_size=2000)
            months_through.objects.using(self.db).bulk_create(months, batch_size=5000)
            standards_through.objects.using(self.db).bulk_create(standards, batch_size=5000)
            self.result.products += len(pending)
            self.result.variants += len(variants)
            self.result.certificates += len(certificates)
            bar.update(len(pending))
            pending.clear()

        for producer in producers:
            for step in range(1, producer.numchild + 1):
                group_slug = self.rng.choices(self.group_slugs, self.group_weights)[0]
                subgroup = self.rng.choice(self.subgroups[group_slug]) if self.subgroups[group_slug] else None
                noun = self.rng.choice(NOUNS.get(subgroup.slug if subgroup else "", [self.groups[group_slug].name]))
                slug = f"{PRODUCT_SLUG_PREFIX}{number:05d}"
                page = ProductPage(
                    **self.page_kwargs(f"Sản phẩm thử nghiệm #{number:05d} – {noun}", slug,
                                       producer.path, producer.depth, producer.url_path, step),
                    numchild=0, content_type_id=self.product_type.pk,
                    producer_id=producer.pk, group_id=self.groups[group_slug].pk,
                    subgroup_id=subgroup.pk if subgroup else None,
                    sold_in_season_only=bool(subgroup and subgroup.slug in SEASONAL_SUBGROUPS),  # fresh: seasons below
                    intro=SYNTHETIC_NOTE, description=f"<p>{SYNTHETIC_NOTE}</p>",
                    is_demo_data=True,
                )
                page.number = number
                pending.append((page, group_slug, subgroup.slug if subgroup else "", producer.units))
                number += 1
                if len(pending) >= CHUNK_SIZE:
                    flush()
        flush()
        bar.close()

    def variants_for(self, page, group_slug: str) -> list[ProductVariant]:
        packs = PACKS.get(group_slug, PACKS["thuc-pham"])
        chosen = sorted(self.rng.sample(packs, self.rng.randint(1, min(3, len(packs)))), key=lambda p: p[1])
        variants = []
        for order, (name, grams) in enumerate(chosen):
            if group_slug == "du-lich":
                price = self.rng.randint(10, 150) * 10_000
            else:
                low, high = PRICE_PER_GRAM.get(group_slug, (100, 500))
                # Bigger packs cost less per gram; prices end in 000 like shop prices do.
                price = round(grams * self.rng.randint(low, high) * (1 - 0.04 * order) / 1000) * 1000
            variants.append(ProductVariant(
                product_id=page.pk, sku=f"{SKU_PREFIX}-{page.number:06d}-{order + 1}", name=name,
                weight_grams=None if group_slug == "du-lich" else grams, price=max(price, 5_000),
                stock=self.rng.choice([0, 5, 20, 50, 100, 300]),
                capacity_per_date=12 if group_slug == "du-lich" else None,  # booked by date (no rng draw: same data)
                sort_order=order,
            ))
        return variants

    def run(self) -> Result:
        started = time.monotonic()
        with transaction.atomic(using=self.db):
            ensure_reference_data()
            self.load_references()
            index = producer_index()
            # Lock the parent so concurrent page creation cannot take the same tree paths (PostgreSQL).
            index = Page.objects.using(self.db).select_for_update().get(pk=index.pk)
            counts = split_products(self.rng, self.products_wanted, self.producers_wanted)
            producers = self.make_producers(index, counts)
            self.make_products(producers)
        self.result.seconds = time.monotonic() - started
        return self.result


def generate_catalog(products: int, producers: int | None = None, seed: int | None = None,
                     progress: bool = True) -> Result:
    """Add `products` synthetic products from `producers` producers (default one per ten products)."""
    if products < 1:
        raise ValueError("Ask for at least one product")
    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    return Generator(products, producers, seed, progress).run()


def check_tree() -> list[str]:
    """Problems that would show the bulk insert went wrong (empty when all is well)."""
    problems = []
    bad_alpha, bad_path, orphans, bad_depth, bad_numchild = Page.find_problems()
    for name, ids in [("bad alphabet", bad_alpha), ("bad path", bad_path), ("orphans", orphans),
                      ("bad depth", bad_depth), ("bad numchild", bad_numchild)]:
        if ids:
            problems.append(f"{name}: {len(ids)} pages, e.g. {list(ids)[:5]}")
    mismatched = ProductPage.objects.exclude(producer_id=None).exclude(
        path__startswith=F("producer__path")).count()
    if mismatched:
        problems.append(f"{mismatched} products whose producer_id is not their parent")
    return problems
