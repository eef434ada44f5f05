"""The trading floor's rules and policies (Decree 52/2013/NĐ-CP as amended by 85/2021/NĐ-CP): the one
list of them, the first text of each, and the code that finds and creates their pages.

A site where many sellers sell must publish its operating rules and the policies its registration
with the Ministry of Industry and Trade links to. Each is an ordinary `StandardPage` under the home
page with a fixed slug, so editors change its text in the admin like any page. `ensure_policy_pages`
(called by `manage.py load_demo`) creates the missing ones with a text that describes how this shop
really works (figures read from the settings at that moment) and never touches a page that exists.
The footer and the checkout link the live ones (`storefront.templatetags.policy_tags`); a change to
one of them invalidates the cached pages tagged `CACHE_TAG` (`storefront.signals`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from wagtail.models import Site

from catalog.text import format_vnd

CACHE_TAG = "policies"


@dataclass(frozen=True)
class Policy:
    slug: str
    title: str
    body: str  # rich text (Wagtail's HTML); `{name}` fields are filled by `facts()` when the page is made


POLICIES = (
    Policy("quy-che-hoat-dong", "Quy chế hoạt động", """
<p>Sàn giao dịch thương mại điện tử OCOP Việt Nam (sau đây gọi là “Sàn”) là nơi các chủ thể OCOP — hợp tác
xã, doanh nghiệp, tổ hợp tác và hộ kinh doanh có sản phẩm được công nhận 3 đến 5 sao — bày bán sản phẩm của
mình cho người mua trên cả nước. Quy chế này được xây dựng theo Nghị định 52/2013/NĐ-CP, sửa đổi bởi Nghị định
85/2021/NĐ-CP, và Luật Bảo vệ quyền lợi người tiêu dùng 2023.</p>
<h2>1. Các bên tham gia</h2>
<ul>
<li><b>Thương nhân vận hành Sàn</b>: tổ chức có tên, địa chỉ, mã số đăng ký kinh doanh ghi ở chân trang. Sàn
duyệt hồ sơ người bán, vận hành hệ thống đặt hàng, thanh toán, giải quyết khiếu nại và chi trả tiền hàng.</li>
<li><b>Người bán (chủ thể OCOP)</b>: đăng ký qua trang “Chủ thể OCOP: đăng ký bán hàng”, cung cấp giấy đăng ký
kinh doanh và giấy chứng nhận OCOP còn hiệu lực. Mỗi chủ thể tự đăng thông tin, giá, tồn kho sản phẩm và tự
đóng gói, gửi phần hàng của mình.</li>
<li><b>Người mua</b>: mua không cần tài khoản hoặc đăng nhập để theo dõi đơn hàng, danh sách yêu thích.</li>
<li><b>Cán bộ OCOP cấp tỉnh</b>: xem xét thông tin chủ thể, sản phẩm của tỉnh mình và tham gia giải quyết
khiếu nại của người mua.</li>
</ul>
<h2>2. Sản phẩm được bán</h2>
<p>Chỉ sản phẩm có giấy chứng nhận OCOP còn hiệu lực mới được bán; số sao, cấp công nhận và thời hạn chứng
nhận hiện trên trang sản phẩm. Sàn gỡ sản phẩm khi chứng nhận hết hạn, khi thông tin sai sự thật, hoặc khi sản
phẩm thuộc danh mục cấm kinh doanh theo pháp luật.</p>
<h2>3. Quy trình giao dịch</h2>
<ol>
<li>Người mua chọn sản phẩm vào giỏ hàng, nhập địa chỉ nhận (tỉnh/thành phố → xã/phường), cách giao và cách
thanh toán.</li>
<li>Giá, tồn kho và phí giao được kiểm tra lại khi bấm “Đặt hàng”; đơn được chia thành từng kiện theo chủ
thể, mỗi kiện có phí giao riêng.</li>
<li>Người mua nhận email xác nhận, theo dõi trạng thái từng kiện trên trang đơn hàng.</li>
<li>Người bán chuẩn bị và gửi hàng; người mua nhận hàng, kiểm tra và có thể yêu cầu đổi trả trong thời hạn
của nhóm sản phẩm.</li>
</ol>
<h2>4. Quyền và nghĩa vụ</h2>
<p>Người bán chịu trách nhiệm về chất lượng, nguồn gốc, nhãn hàng hóa và giá sản phẩm mình đăng, trả lời yêu
cầu đổi trả, khiếu nại trong {answer_hours} giờ. Sàn giữ tiền hàng của giao dịch trực tuyến đến khi hết thời
hạn đổi trả, khấu trừ phí dịch vụ (nếu có) và khoản thuế phải khấu trừ, rồi chi trả vào tài khoản ngân hàng đã
được duyệt của người bán theo kỳ hằng tuần. Người mua cung cấp thông tin nhận hàng đúng và thanh toán đủ.</p>
<h2>5. Thuế</h2>
<p>Với người bán là hộ, cá nhân kinh doanh, Sàn khấu trừ và nộp thay thuế giá trị gia tăng và thuế thu nhập
cá nhân theo Nghị định 117/2025/NĐ-CP; bảng kê khoản đã khấu trừ có trong sao kê gửi người bán.</p>
<h2>6. Xử lý vi phạm</h2>
<p>Người bán vi phạm quy chế có thể bị nhắc nhở, tạm ẩn sản phẩm hoặc chấm dứt bán hàng trên Sàn; Sàn phối hợp
với cơ quan có thẩm quyền khi có hành vi vi phạm pháp luật.</p>
<h2>7. Sửa đổi quy chế</h2>
<p>Sàn thông báo trên trang này khi sửa đổi quy chế, kèm ngày có hiệu lực; giao dịch đã đặt trước đó áp dụng
quy chế tại thời điểm đặt hàng.</p>
"""),
    Policy("chinh-sach-bao-mat", "Chính sách bảo mật thông tin", """
<p>Sàn xử lý dữ liệu cá nhân theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và các văn bản hướng dẫn.</p>
<h2>1. Dữ liệu thu thập và mục đích</h2>
<ul>
<li>Họ tên, số điện thoại, email, địa chỉ nhận hàng: để giao hàng, gửi xác nhận và thông báo về đơn.</li>
<li>Lịch sử đơn hàng, sản phẩm yêu thích, sản phẩm đã xem (khi đăng nhập): để bạn theo dõi và mua lại.</li>
<li>Tài khoản ngân hàng nhận hoàn tiền, mô tả và ảnh kèm yêu cầu đổi trả: chỉ để giải quyết yêu cầu đó. Ảnh
được xóa thông tin EXIF (vị trí chụp) và lưu ở kho riêng, không công khai.</li>
<li>Địa chỉ đăng ký nhận tin khi sản phẩm vào mùa hoặc có hàng lại: để gửi đúng một thông báo.</li>
</ul>
<p>Sàn không lưu số thẻ: thanh toán thẻ, ví điện tử diễn ra trên trang của tổ chức thanh toán (Stripe, VNPay,
MoMo). Sàn không bán dữ liệu cá nhân và không dùng cho mục đích khác khi chưa được bạn đồng ý.</p>
<h2>2. Ai được xem dữ liệu</h2>
<p>Người bán chỉ thấy thông tin cần để giao phần hàng của mình; cán bộ OCOP cấp tỉnh và quản trị viên chỉ thấy
yêu cầu khiếu nại được chuyển tới họ; đơn vị vận chuyển nhận tên, số điện thoại, địa chỉ nhận; tổ chức thanh
toán nhận thông tin cần cho giao dịch. Sàn cung cấp dữ liệu cho cơ quan nhà nước khi pháp luật yêu cầu.</p>
<h2>3. Thời gian lưu và bảo vệ</h2>
<p>Dữ liệu đơn hàng được lưu theo thời hạn pháp luật về kế toán, thuế; dữ liệu khác được xóa khi không còn cần
cho mục đích đã nêu. Kết nối được mã hóa (HTTPS), mật khẩu được băm, quyền truy cập theo vai trò.</p>
<h2>4. Quyền của bạn</h2>
<p>Bạn có quyền biết, đồng ý, rút lại sự đồng ý, xem, chỉnh sửa, yêu cầu xóa hoặc hạn chế xử lý dữ liệu của
mình, và khiếu nại. Hãy gửi yêu cầu qua email hoặc đường dây nóng ở chân trang; Sàn trả lời trong thời hạn
luật định. Khi có sự cố lộ lọt dữ liệu, Sàn thông báo cho bạn và cơ quan có thẩm quyền theo quy định.</p>
"""),
    Policy("giai-quyet-khieu-nai", "Cơ chế giải quyết khiếu nại", """
<p>Sàn giải quyết khiếu nại theo Luật Bảo vệ quyền lợi người tiêu dùng 2023, ưu tiên thương lượng.</p>
<ol>
<li><b>Gửi yêu cầu</b>: trên trang đơn hàng (đăng nhập, hoặc theo đường dẫn riêng trong email xác nhận), với
kiện đã giao và còn trong thời hạn đổi trả, bấm “Yêu cầu đổi trả / khiếu nại”; nêu lý do, mô tả, chọn hoàn
tiền hoặc đổi hàng, kèm tối đa ba ảnh. Bạn cũng có thể gọi đường dây nóng hoặc gửi email ở chân trang.</li>
<li><b>Người bán trả lời</b> trong {answer_hours} giờ: chấp nhận (hoàn tiền hoặc đổi hàng) hoặc giải thích.
Bạn đồng ý thì yêu cầu kết thúc; không đồng ý thì bấm “Không đồng ý”.</li>
<li><b>Chuyển lên cấp trên</b>: yêu cầu bị từ chối mà bạn không đồng ý, hoặc quá {answer_hours} giờ người bán
chưa trả lời, tự động được chuyển tới cán bộ OCOP của tỉnh nơi người bán và quản trị viên Sàn. Họ xem xét hồ
sơ, ảnh, lịch sử đơn và quyết định chấp nhận (kèm hoàn tiền) hoặc bác bỏ có nêu lý do.</li>
<li><b>Ngoài Sàn</b>: nếu chưa đồng ý với kết quả, bạn có quyền đề nghị cơ quan bảo vệ quyền lợi người tiêu dùng,
hòa giải, trọng tài hoặc khởi kiện tại tòa án theo quy định.</li>
</ol>
<p>Mỗi bước được ghi lại và gửi email cho các bên; bạn theo dõi tiến trình trên trang đơn hàng.</p>
"""),
    Policy("chinh-sach-thanh-toan", "Chính sách thanh toán", """
<p>Giá và số tiền trên Sàn tính bằng đồng Việt Nam. Khi đặt hàng, bạn chọn một trong các cách:</p>
<ul>
<li><b>Thanh toán khi nhận hàng (COD)</b>: trả tiền mặt cho người giao, theo từng kiện.</li>
<li><b>Chuyển khoản qua mã VietQR</b>: quét mã trên trang đơn hàng bằng ứng dụng ngân hàng; số tiền và nội dung
(mã đơn DH…) đã điền sẵn. Giao dịch được xác nhận tự động qua dịch vụ Casso khi đúng số tiền và mã đơn, hoặc
được nhân viên đối soát. Đơn chờ chuyển khoản được giữ {transfer_hours} giờ, quá hạn sẽ tự hủy.</li>
<li><b>Thẻ quốc tế (Stripe), VNPay, ví MoMo</b>: khi Sàn bật các cổng này, bạn thanh toán trên trang của tổ chức
thanh toán; trang thanh toán hết hạn sau {gateway_minutes} phút.</li>
</ul>
<p>Chuyển khoản sai số tiền hoặc thiếu mã đơn được giữ lại để đối soát; Sàn liên hệ để gán vào đơn hoặc hoàn
lại. Tiền của giao dịch trực tuyến do Sàn giữ và chỉ chi trả cho người bán sau khi hết thời hạn đổi trả.</p>
"""),
    Policy("chinh-sach-giao-hang", "Chính sách giao hàng", """
<p>Mỗi chủ thể OCOP tự đóng gói và gửi phần hàng của mình, nên một đơn mua của nhiều chủ thể được giao thành
nhiều kiện, mỗi kiện có phí giao riêng.</p>
<ul>
<li><b>Phí giao</b> tính theo vùng nhận (thành phố trực thuộc trung ương hoặc tỉnh khác), khối lượng kiện và
cách giao: giao tiêu chuẩn (3–5 ngày) hoặc giao nhanh (1–2 ngày). Phí hiện ngay ở bước đặt hàng khi bạn chọn
tỉnh/thành phố.</li>
<li><b>Miễn phí giao</b> cho đơn có tiền hàng từ {free_over}.</li>
<li><b>Sản phẩm theo mùa</b>: hàng tươi chỉ bán trong mùa vụ; đơn đặt trước được giao khi vào mùa.</li>
<li><b>Du lịch cộng đồng</b>: đặt chỗ theo ngày và số khách, không giao hàng, không tính phí giao.</li>
</ul>
<p>Khi nhận, hãy kiểm tra kiện hàng; hàng hỏng, dập, thiếu hoặc sai, bạn gửi yêu cầu đổi trả trên trang đơn
hàng. Địa chỉ dùng tên tỉnh và xã/phường theo đơn vị hành chính hiện hành.</p>
"""),
    Policy("chinh-sach-doi-tra", "Chính sách đổi trả và hoàn tiền", """
<h2>1. Thời hạn</h2>
<p>Bạn gửi yêu cầu đổi trả trong thời hạn tính từ khi nhận hàng, tùy nhóm sản phẩm; mặc định {return_days} ngày,
ngắn hơn với thực phẩm tươi. Thời hạn của từng kiện hiện trên trang đơn hàng.</p>
<h2>2. Trường hợp được đổi trả</h2>
<p>Hàng hỏng, dập, kém chất lượng; giao sai sản phẩm hoặc quy cách; thiếu hàng; không đúng mô tả; hoặc lý do khác
được người bán chấp nhận. Bạn chọn hoàn tiền (tối đa tiền hàng và phí giao của kiện đó) hoặc đổi hàng.</p>
<h2>3. Cách hoàn tiền</h2>
<ul>
<li>Đơn trả bằng thẻ, VNPay, MoMo: hoàn qua chính cổng thanh toán đó.</li>
<li>Đơn COD hoặc chuyển khoản VietQR: hoàn bằng chuyển khoản vào tài khoản ngân hàng bạn ghi trong yêu cầu.</li>
</ul>
<p>Tiền hoàn không bao giờ vượt số đã trả trừ số đã hoàn trước đó. Cách gửi và các bước xử lý yêu cầu xem tại
Cơ chế giải quyết khiếu nại.</p>
"""),
    Policy("chinh-sach-gia", "Chính sách giá", """
<p>Giá sản phẩm do chủ thể OCOP đặt và chịu trách nhiệm, niêm yết bằng đồng Việt Nam theo từng quy cách (gói,
hộp, chai…). Giá đã gồm thuế theo quy định; phí giao hàng tính riêng theo từng kiện và hiện trước khi đặt.</p>
<ul>
<li>Chương trình khuyến mãi ghi rõ thời gian, mức giảm; giá khuyến mãi hoặc mã giảm giá hiện trên thẻ và trang
sản phẩm, áp dụng khi đơn được đặt trong thời gian chương trình.</li>
<li>Giá và tồn kho được kiểm tra lại lúc đặt hàng; giá ghi trên đơn là giá bạn trả, kể cả đơn đặt trước.</li>
<li>Phí dịch vụ Sàn thu của người bán (nếu có) không cộng vào giá người mua trả.</li>
</ul>
"""),
    Policy("ho-tro-khach-hang", "Hỗ trợ khách hàng", """
<p>Cần giúp đỡ về đơn hàng, thanh toán, giao hàng hay đổi trả? Hãy liên hệ đường dây nóng hoặc email ở chân
trang, hoặc:</p>
<ul>
<li>Tra cứu đơn: mở đường dẫn trong email xác nhận, hoặc đăng nhập và vào “Đơn hàng và tài khoản của bạn”.</li>
<li>Đổi trả, khiếu nại: gửi yêu cầu từ trang đơn hàng; người bán trả lời trong {answer_hours} giờ.</li>
<li>Chủ thể OCOP muốn bán hàng: dùng trang “Chủ thể OCOP: đăng ký bán hàng” ở chân trang.</li>
</ul>
<p>Khi liên hệ, hãy cho biết mã đơn (DH…) để được hỗ trợ nhanh.</p>
"""),
)
SLUGS = tuple(policy.slug for policy in POLICIES)
BY_SLUG = {policy.slug: policy for policy in POLICIES}


def facts() -> dict:
    """The figures the texts quote, as this installation is configured."""
    return {
        "answer_hours": settings.SHOP_RETURN_ANSWER_HOURS,
        "return_days": max(1, settings.SHOP_RETURN_WINDOW_HOURS // 24),
        "transfer_hours": max(1, settings.SHOP_TRANSFER_PAY_MINUTES // 60),
        "gateway_minutes": settings.SHOP_GATEWAY_PAY_MINUTES,
        "free_over": format_vnd(settings.SHOP_FREE_SHIPPING_OVER) if settings.SHOP_FREE_SHIPPING_OVER
        else "mức do Sàn công bố",
    }


def home_page(site=None):
    """The root page of `site` (the default site when None): where the policy pages live."""
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None


def live_pages(site=None) -> list:
    """The live, public policy pages under the site's home page, in the order of `POLICIES`."""
    from storefront.models import StandardPage

    home = home_page(site)
    if home is None:
        return []
    pages = {page.slug: page for page in
             StandardPage.objects.child_of(home).live().public().filter(slug__in=SLUGS)}
    return [pages[slug] for slug in SLUGS if slug in pages]


@transaction.atomic
def ensure_policy_pages(*, log=lambda message: None) -> list:
    """Create and publish the policy pages missing under the default site's home page; a page with
    the slug (live or not, edited or not) is left as it is. Returns the pages created."""
    from storefront.models import StandardPage

    home = home_page()
    if home is None:
        return []
    taken = set(home.get_children().filter(slug__in=SLUGS).values_list("slug", flat=True))
    values, created = facts(), []
    for policy in POLICIES:
        if policy.slug in taken:
            continue
        page = home.add_child(instance=StandardPage(
            title=policy.title, slug=policy.slug, body=policy.body.strip().format(**values),
        ))
        page.save_revision().publish()
        created.append(page)
        log(f"+ {policy.title}")
    return created
