"""Verified reviews, the operations: a delivered buyer writes one per product per order; the product's
province officers or national admins publish or reject it; the producer answers a published one,
once; anyone reports one. Each step is one transaction; the pages that show reviews are invalidated
in the page cache (`storefront.page_cache`) when what they show changes.

Who may do what is answered here too (`may_moderate`, `is_member`, `visible_reviews`), from
`catalog.roles`, so the admin screens and these steps ask the same questions.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from storefront import page_cache

from catalog import ratings as product_ratings
from catalog import roles
from shop import orders, return_photos
from shop.models import OrderLine, Review, ReviewPhoto, ReviewReport
from shop.models.reviews import TEXT_MAX
from shop.order_rules import FulfilmentStatus

Status = Review.Status
SHOWN_ON_PAGE = 20  # the newest published reviews on a product page (the count covers all)


class ReviewError(ValueError):
    """A step that cannot be taken; the message says why, in Vietnamese."""


# --- Who ---------------------------------------------------------------------------------------------

def may_moderate(user, review) -> bool:
    """Officers of the product's producer's province, and national admins."""
    producer = review.product.producer
    return roles.can_act_for_province(user, producer.province_id if producer else None)


def is_member(user, review) -> bool:
    return review.product.producer_id in roles.member_producer_ids(user)


def may_see_reviews(user) -> bool:
    return bool(roles.is_national_admin(user) or roles.is_officer(user) or roles.member_producer_ids(user))


def visible_reviews(user):
    """National admins: all; officers: their provinces' products'; producers: their products' published ones."""
    reviews = Review.objects.all()
    if roles.is_national_admin(user):
        return reviews
    return reviews.filter(Q(product__producer__province_id__in=roles.officer_province_ids(user))
                          | Q(product__producer_id__in=roles.member_producer_ids(user), status=Status.PUBLISHED))


def display_name(order, user=None) -> str:
    """The buyer's given name (the last word of a Vietnamese full name, family name first), or ""
    (pages then say "Người mua"): never the full name or the e-mail. Stored beside a review only
    when the buyer ticks the box for it (`write(shows_name=True)`): a consent of its own (Law 91)."""
    full = (getattr(user, "first_name", "") if user is not None and user.is_authenticated else "") or order.name
    words = (full or "").split()
    given = words[-1] if words else ""
    if "@" in given or len(given) > 30:
        return ""
    return given


# --- Writing ----------------------------------------------------------------------------------------

def refusal(line: OrderLine) -> str:
    """Why this line cannot be reviewed now ("" if it can)."""
    variant = line.variant
    if variant is None:
        return _("Sản phẩm này không còn bán nên không thể đánh giá.")
    if line.suborder.status != FulfilmentStatus.DELIVERED:
        return _("Bạn chỉ đánh giá được sản phẩm sau khi đã nhận hàng.")
    if Review.objects.filter(product_id=variant.product_id, order_id=line.suborder.order_id).exists():
        return _("Bạn đã đánh giá sản phẩm này cho đơn hàng này.")
    return ""


def _checked_text(text) -> str:
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Hãy viết vài dòng về sản phẩm."))
    if len(text) > TEXT_MAX:
        raise ReviewError(_("Nội dung dài tối đa %(count)s ký tự.") % {"count": TEXT_MAX})
    return text


def write(line: OrderLine, *, user=None, rating, text, photos=(), shows_name=False) -> Review:
    """The buyer's review of the product on `line`, waiting for moderation; `photos` are uploads. The
    buyer's given name is kept beside it only with `shows_name` (the form's unticked box); without
    it, or without a usable name, the review shows "Người mua"."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ReviewError(_("Hãy chọn từ 1 đến 5 sao."))
    text = _checked_text(text)
    if len(photos) > return_photos.MAX_PHOTOS:
        raise ReviewError(_("Chỉ gửi được tối đa %(count)s ảnh.") % {"count": return_photos.MAX_PHOTOS})
    try:
        cleaned = [return_photos.clean(photo) for photo in photos]  # checked before anything is written
    except return_photos.PhotoError as error:
        raise ReviewError(str(error)) from None
    saved = []
    try:
        with transaction.atomic():
            order = orders.locked(line.suborder.order_id)
            line = OrderLine.objects.select_related("suborder", "variant").get(pk=line.pk)
            problem = refusal(line)
            if problem:
                raise ReviewError(problem)
            user = user if user is not None and user.is_authenticated else None
            name = display_name(order, user) if shows_name else ""
            review = Review.objects.create(
                product_id=line.variant.product_id, order=order, order_line=line, user=user,
                display_name=name, shows_name=bool(name), rating=rating, text=text, bought_at=order.created_at)
            for data in cleaned:
                saved.append(_store(data))
                ReviewPhoto.objects.create(review=review, image=saved[-1])
    except IntegrityError:  # the same product reviewed at the same moment from another tab
        _delete(saved)
        raise ReviewError(_("Bạn đã đánh giá sản phẩm này cho đơn hàng này.")) from None
    except BaseException:
        _delete(saved)  # the review was rolled back: its files go too
        raise
    return review


def _store(data: bytes) -> str:
    """A cleaned photo, saved in the default (public) storage under a random name."""
    name = f"danh-gia/{timezone.localdate():%Y/%m}/{secrets.token_urlsafe(18)}.jpg"
    return default_storage.save(name, ContentFile(data))


def _delete(names) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # noqa: BLE001,S110 - the storage is unreachable: the file stays, nothing else breaks
            pass


# --- Moderating and answering -----------------------------------------------------------------------

def _locked(pk) -> Review:
    return Review.objects.select_for_update(of=("self",)).select_related("product__producer").get(pk=pk)


def _changed(review) -> None:
    page_cache.invalidate(f"product:{review.product_id}", *(
        [f"producer:{review.product.producer_id}"] if review.product.producer_id else []))
    _store_rating(review.product_id)


def _store_rating(product_id) -> None:
    """The product's published reviews recounted and kept on the product (`catalog.ratings`), with its
    row locked first so that two moderators at once cannot store a count that misses one review."""
    product_ratings.lock([product_id])
    rating = ratings([product_id]).get(product_id) or Rating(0, 0)
    product_ratings.store(product_id, rating.count, rating.total)


def publish(pk, *, actor) -> Review:
    with transaction.atomic():
        review = _locked(pk)
        if not may_moderate(actor, review):
            raise PermissionDenied
        if review.status != Status.PENDING:
            raise ReviewError(_("Đánh giá này đã được duyệt rồi."))
        review.status, review.moderated_by, review.moderated_at = Status.PUBLISHED, actor, timezone.now()
        review.save(update_fields=["status", "moderated_by", "moderated_at"])
        _changed(review)
    return review


def reject(pk, *, actor) -> Review:
    """Not shown, now (a pending one) or any more (a published one, after reports); final. Its
    photos are deleted: they were at public, if unguessable, addresses."""
    with transaction.atomic():
        review = _locked(pk)
        if not may_moderate(actor, review):
            raise PermissionDenied
        if review.status == Status.REJECTED:
            raise ReviewError(_("Đánh giá này đã bị từ chối rồi."))
        review.status, review.moderated_by, review.moderated_at = Status.REJECTED, actor, timezone.now()
        review.save(update_fields=["status", "moderated_by", "moderated_at"])
        names = [photo.image.name for photo in review.photos.all()]
        review.photos.all().delete()
        transaction.on_commit(lambda: _delete(names))
        _changed(review)
    return review


def reply(pk, *, actor, text) -> Review:
    """The producer's one public answer to a published review; never changed afterwards."""
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Hãy viết nội dung trả lời."))
    if len(text) > TEXT_MAX:
        raise ReviewError(_("Nội dung dài tối đa %(count)s ký tự.") % {"count": TEXT_MAX})
    with transaction.atomic():
        review = _locked(pk)
        if not is_member(actor, review):
            raise PermissionDenied
        if review.status != Status.PUBLISHED:
            raise ReviewError(_("Chỉ trả lời được đánh giá đã đăng."))
        if review.replied_at is not None:
            raise ReviewError(_("Chủ thể đã trả lời đánh giá này; mỗi đánh giá chỉ có một câu trả lời."))
        review.reply, review.replied_by, review.replied_at = text, actor, timezone.now()
        review.save(update_fields=["reply", "replied_by", "replied_at"])
        _changed(review)
    return review


def report(review, *, reason, client_ip="", user=None) -> bool:
    """Note a report; False if this client (or account) had reported the review already."""
    if reason not in ReviewReport.Reason.values:
        raise ReviewError(_("Hãy chọn lý do báo cáo."))
    user = user if user is not None and user.is_authenticated else None
    client_hash = salted_hmac("shop.reviews.report", client_ip).hexdigest() if client_ip else ""
    earlier = ReviewReport.objects.filter(review=review).filter(
        Q(user=user) if user is not None else Q(user=None, client_hash=client_hash))
    if earlier.exists():
        return False
    ReviewReport.objects.create(review=review, reason=reason, user=user, client_hash=client_hash)
    return True


# --- Reading ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rating:
    count: int
    total: int

    @property
    def average(self) -> float:
        return round(self.total / self.count, 1) if self.count else 0.0

    @property
    def average_text(self) -> str:
        """"4,5": Vietnamese decimal comma."""
        return f"{self.average:.1f}".replace(".", ",")

    @property
    def rounded(self) -> int:
        """Whole stars to draw (4,5 → 5, 4,4 → 4)."""
        return int(self.total * 2 // self.count + 1) // 2 if self.count else 0


def ratings(product_ids) -> dict[int, Rating]:
    """Published reviews' count and total per product, in one query."""
    ids = [pk for pk in set(product_ids) if pk is not None]
    if not ids:
        return {}
    rows = (Review.objects.filter(product_id__in=ids, status=Status.PUBLISHED).values("product_id")
            .annotate(count=Count("pk"), total=Sum("rating")).values_list("product_id", "count", "total"))
    return {pk: Rating(count, total) for pk, count, total in rows}


def producer_ratings(producer_id) -> dict[int, Rating]:
    """Published reviews' count and total per product of one producer, in one query."""
    rows = (Review.objects.filter(product__producer_id=producer_id, status=Status.PUBLISHED).values("product_id")
            .annotate(count=Count("pk"), total=Sum("rating")).values_list("product_id", "count", "total"))
    return {pk: Rating(count, total) for pk, count, total in rows}


def combined(ratings_) -> Rating | None:
    """Several products' ratings as one (a producer's), or None without any review."""
    count = sum(rating.count for rating in ratings_)
    return Rating(count, sum(rating.total for rating in ratings_)) if count else None


def published(product_id) -> list[Review]:
    """The newest published reviews of a product, with their photos."""
    return list(Review.objects.filter(product_id=product_id, status=Status.PUBLISHED)
                .prefetch_related("photos").order_by("-created_at", "-pk")[:SHOWN_ON_PAGE])


def order_states(order) -> dict[str, set[int]]:
    """For the order page: {"write": lines that may be reviewed now, "done": lines already reviewed}."""
    lines = OrderLine.objects.filter(suborder__order=order).values_list(
        "pk", "variant__product_id", "suborder__status")
    reviewed = set(Review.objects.filter(order=order).values_list("product_id", flat=True))
    write, done = set(), set()
    for pk, product_id, status in lines:
        if product_id in reviewed:
            done.add(pk)
        elif product_id is not None and status == FulfilmentStatus.DELIVERED:
            write.add(pk)
    return {"write": write, "done": done}
