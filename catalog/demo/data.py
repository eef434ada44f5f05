"""The demo catalogue as plain data: producers, their products, certificates and packs.

Sources (DESIGN.md, "Seed facts for the demo data"): news articles on OCOP in huyện Thanh Hà
(old Hải Dương, now Hải Phòng), huyện Kiến Thụy (Hải Phòng), huyện Thanh Sơn (Phú Thọ), Hải Dương
province, plus the famous products named there (vải thiều Thanh Hà, chè shan tuyết Mộc Châu, xoài
tròn Yên Châu, gà đồi Yên Thế, nước mắm Phú Quốc, bánh chưng Đất Tổ). Product titles are the real
names; the remaining producers and products are invented but plausible, to fill every OCOP group.

What is invented and labelled as such:
* prices and stock of every pack (`ProductPage.is_demo_data` is set on every product);
* producers' legal names where the articles do not give one, and the stories (each says
  "Nội dung minh hoạ cho bản demo.");
* decision numbers, dates and scores of certificates (stars follow the seed facts);
* no phone numbers, e-mails, representatives or barcodes: invented ones could belong to real people.

Places are given as the articles give them (legacy province, district, commune before July 2025);
the loader finds today's commune with the `vietnam-provinces` package. Certificate issuers are not
written here: `catalog.demo.issuers` derives them from the stars, the date and the producer's units.
"""

from dataclasses import dataclass, field

ILLUSTRATIVE = "Nội dung minh hoạ cho bản demo."


@dataclass(frozen=True)
class Cert:
    """One recognition decision. `date` is ISO; or `expires_in_days` dates it relative to today."""

    stars: int
    score: int
    number: int
    date: str = ""
    expires_in_days: int | None = None


@dataclass(frozen=True)
class Pack:
    """A variant: SKU suffix, name, shipping weight in grams, price in đồng, stock; a bookable
    service (community tourism) has no weight (None) and `capacity` guests per date instead."""

    code: str
    name: str
    grams: int | None
    price: int
    stock: int
    capacity: int | None = None


@dataclass(frozen=True)
class Product:
    code: str  # SKUs are DEMO-<code>-<pack code>
    title: str
    group: str  # ProductGroup slug
    subgroup: str  # ProductSubgroup slug within the group
    intro: str
    description: str  # rich text (HTML)
    certs: tuple[Cert, ...]
    packs: tuple[Pack, ...]
    ingredients: str = ""
    usage: str = ""
    storage: str = ""
    shelf_life: str = ""
    geographical_indication: str = ""
    months: tuple[int, ...] = ()  # season; empty = all year
    sold_in_season_only: bool = False  # fresh produce: not for sale outside `months`
    preorder_allowed: bool = False  # out of season, taken as pre-orders for the next one
    standards: tuple[str, ...] = ()  # Standard slugs
    featured: bool = False


@dataclass(frozen=True)
class Producer:
    title: str
    legal_form: str  # ProducerPage.LegalForm value
    legacy_province: str
    legacy_district: str
    intro: str
    story: tuple[str, ...]  # paragraphs (plain text; the loader wraps them in <p>)
    quote: tuple[str, str]  # (text, attribution)
    products: tuple[Product, ...]
    legacy_commune: str = ""  # the commune before July 2025 …
    commune: str = ""  # … or today's commune (or both, when the old one was split)
    street_address: str = ""
    standards: tuple[str, ...] = ()
    initials: str = ""  # for the logo; derived from the title when empty
    slug: str = field(default="")  # derived from the title when empty


PRODUCERS: tuple[Producer, ...] = (
    # --- Huyện Thanh Hà (old Hải Dương, now Hải Phòng): fresh produce under VietGAP/GlobalGAP ---------------
    Producer(
        title="Hợp tác xã Sản xuất và Tiêu thụ nông sản Thanh Hà",
        legal_form="htx",
        legacy_province="Tỉnh Hải Dương",
        legacy_district="Huyện Thanh Hà",
        commune="Xã Thanh Hà",
        street_address="Thôn Thúy Lâm",
        initials="TH",
        standards=("vietgap", "globalgap"),
        intro="Hợp tác xã trồng vải thiều và cây ăn quả ở vùng chỉ dẫn địa lý Thanh Hà, sản xuất theo VietGAP và GlobalGAP.",
        story=(
            "Thanh Hà là quê hương của vải thiều: chỉ dẫn địa lý “Thanh Hà” được bảo hộ cho quả vải của vùng đất "
            "phù sa ven sông Hương, sông Rạng. Vụ vải sớm bắt đầu từ giữa tháng 5, vụ chính từ tháng 6 đến đầu tháng 7.",
            "Các thành viên hợp tác xã ghi nhật ký canh tác, dùng phân bón và thuốc bảo vệ thực vật theo quy trình "
            "VietGAP, một phần diện tích đạt GlobalGAP để xuất khẩu. Ngoài quả tươi, hợp tác xã sấy vải, ép mật ong "
            "hoa vải và trồng ổi xen canh. " + ILLUSTRATIVE,
        ),
        quote=("Quả vải ngon phải chín trên cây, hái sáng sớm và đến tay người mua trong ngày.",
               "Một thành viên hợp tác xã (lời kể minh hoạ)"),
        products=(
            Product(
                code="VTH", title="Vải thiều Thanh Hà", group="thuc-pham", subgroup="rau-cu-qua-hat-tuoi",
                intro="Vải thiều chín cây từ vùng chỉ dẫn địa lý Thanh Hà: cùi dày, hạt nhỏ, vị ngọt đậm.",
                description="<p>Quả vải thiều hái trong ngày, tuyển chọn quả đều, đóng hộp có lót lá giữ ẩm. "
                            "Vụ sớm từ giữa tháng 5, vụ chính từ tháng 6 đến đầu tháng 7.</p>",
                storage="Bảo quản ngăn mát tủ lạnh 2–5 °C, dùng trong 5 ngày.",
                shelf_life="5–7 ngày trong ngăn mát",
                geographical_indication="Thanh Hà", sold_in_season_only=True, preorder_allowed=True, months=(5, 6, 7), standards=("vietgap", "globalgap"),
                featured=True,
                certs=(Cert(4, 78, 2410, "2024-08-15"),),
                packs=(Pack("1KG", "Hộp 1 kg", 1000, 65_000, 120),
                       Pack("3KG", "Thùng 3 kg", 3000, 185_000, 60),
                       Pack("5KG", "Thùng 5 kg", 5000, 295_000, 40)),
            ),
            Product(
                code="VSK", title="Vải thiều sấy khô Thanh Hà", group="thuc-pham", subgroup="thuc-pham-che-bien",
                intro="Vải thiều Thanh Hà sấy nguyên quả bằng lò sấy nhiệt, thịt quả dẻo, ngọt thanh.",
                description="<p>Sấy từ vải thiều chín của vụ chính, không dùng chất bảo quản.</p>",
                ingredients="Vải thiều Thanh Hà 100%.",
                storage="Nơi khô ráo, thoáng mát; đóng kín túi sau khi mở.",
                shelf_life="12 tháng kể từ ngày sản xuất",
                geographical_indication="Thanh Hà", standards=("vietgap",),
                certs=(Cert(3, 64, 1875, "2024-05-20"),),
                packs=(Pack("500G", "Túi 500 g", 500, 140_000, 80),
                       Pack("1KG", "Hộp 1 kg", 1000, 260_000, 35)),
            ),
            Product(
                code="MOHV", title="Mật ong hoa vải Thanh Hà", group="thuc-pham", subgroup="mat-ong-nong-san-so-che",
                intro="Mật ong từ đàn ong đặt trong vườn vải mùa hoa tháng 2–3, màu vàng sáng, thơm mùi hoa vải.",
                description="<p>Mật ong nguyên chất, lọc lạnh, không pha đường.</p>",
                ingredients="Mật ong hoa vải nguyên chất.",
                usage="Pha nước ấm (dưới 60 °C), dùng với chanh, gừng hoặc ăn trực tiếp. Không dùng cho trẻ dưới 1 tuổi.",
                storage="Nhiệt độ phòng, tránh ánh nắng; không cần để tủ lạnh.",
                shelf_life="24 tháng",
                # Decision dated so that it expires within the coming 90 days, whenever the demo is loaded.
                certs=(Cert(3, 61, 2731, expires_in_days=48),),
                packs=(Pack("500ML", "Chai 500 ml", 750, 180_000, 50),
                       Pack("1L", "Chai 1 lít", 1450, 340_000, 20)),
            ),
            Product(
                code="OTH", title="Ổi Thanh Hà", group="thuc-pham", subgroup="rau-cu-qua-hat-tuoi",
                intro="Ổi trồng xen vườn vải theo VietGAP, quả giòn, ít hạt.",
                description="<p>Ổi hái khi vừa chín tới, bọc túi từ khi quả non.</p>",
                storage="Ngăn mát tủ lạnh, dùng trong 7 ngày.",
                standards=("vietgap",),
                # Recognised in 2022 and not re-rated: the certificate lapsed in 2025.
                certs=(Cert(3, 58, 912, "2022-04-12"),),
                packs=(Pack("1KG", "Túi 1 kg", 1000, 30_000, 90),
                       Pack("5KG", "Thùng 5 kg", 5000, 140_000, 25)),
            ),
        ),
    ),
    # --- Hải Dương (now Hải Phòng): Bánh đậu xanh Rồng Vàng Hoàng Gia, 4★ -----------------------------------
    Producer(
        title="Công ty TNHH Rồng Vàng Hoàng Gia",
        legal_form="doanh_nghiep",
        legacy_province="Tỉnh Hải Dương",
        legacy_district="Thành phố Hải Dương",
        legacy_commune="Phường Ngọc Châu",
        initials="RV",
        standards=("haccp",),
        intro="Cơ sở làm bánh đậu xanh theo công thức truyền thống của đất Hải Dương.",
        story=(
            "Bánh đậu xanh là đặc sản gắn với tên Hải Dương từ đầu thế kỷ XX. Bánh Rồng Vàng Hoàng Gia được tỉnh "
            "Hải Dương công nhận sản phẩm OCOP 4 sao.",
            "Đậu xanh được đãi vỏ, hấp chín, tán mịn rồi sên với đường và mỡ trên lửa nhỏ; bánh được ép khuôn, "
            "gói giấy bạc và đóng hộp trong ngày. " + ILLUSTRATIVE,
        ),
        quote=("Bánh ngon là bánh tan ngay trên đầu lưỡi, ngọt mà không gắt.",
               "Thợ làm bánh của công ty (lời kể minh hoạ)"),
        products=(
            Product(
                code="BDX", title="Bánh đậu xanh Rồng Vàng Hoàng Gia", group="thuc-pham", subgroup="thuc-pham-che-bien",
                intro="Bánh đậu xanh Hải Dương mịn, tan trong miệng, hộp quà truyền thống. OCOP 4 sao.",
                description="<p>Đậu xanh chọn lọc, đường kính trắng, dầu thực vật và mỡ; không phẩm màu.</p>",
                ingredients="Đậu xanh, đường, dầu thực vật, mỡ lợn, hương hoa bưởi.",
                usage="Dùng với trà nóng.",
                storage="Nơi khô ráo, thoáng mát.",
                shelf_life="6 tháng kể từ ngày sản xuất",
                standards=("haccp",), featured=True,
                certs=(Cert(4, 82, 1620, "2024-06-28"),),
                packs=(Pack("250G", "Hộp 250 g", 300, 55_000, 200),
                       Pack("450G", "Hộp quà 450 g", 550, 95_000, 120),
                       Pack("800G", "Hộp quà 800 g", 950, 170_000, 60)),
            ),
            Product(
                code="BDXD", title="Bánh đậu xanh nhân dừa Rồng Vàng", group="thuc-pham", subgroup="thuc-pham-che-bien",
                intro="Bánh đậu xanh nhân dừa non, vị béo nhẹ.",
                description="<p>Biến tấu của bánh đậu xanh truyền thống với nhân dừa sên.</p>",
                ingredients="Đậu xanh, đường, dừa, dầu thực vật.",
                storage="Nơi khô ráo, thoáng mát.",
                shelf_life="4 tháng kể từ ngày sản xuất",
                # Recognised after July 2025: 3★ by today's province (Hải Phòng), no district level.
                certs=(Cert(3, 67, 3105, "2025-10-20"),),
                packs=(Pack("250G", "Hộp 250 g", 300, 60_000, 150),),
            ),
        ),
    ),
    # --- Huyện Kiến Thụy (Hải Phòng): 24 products rated, 11 four-star and 13 three-star -----------------------
    Producer(
        title="Công ty TNHH Nông nghiệp công nghệ cao Trường Sinh",
        legal_form="doanh_nghiep",
        legacy_province="Thành phố Hải Phòng",
        legacy_district="Huyện Kiến Thụy",
        commune="Xã Kiến Thụy",
        initials="TS",
        standards=("iso-22000",),
        intro="Nuôi trồng nấm đông trùng hạ thảo trong phòng sạch, điều khiển nhiệt độ và ánh sáng.",
        story=(
            "Nấm đông trùng hạ thảo Trường Sinh là một trong các sản phẩm OCOP của huyện Kiến Thụy được nêu trong "
            "các bài viết về chương trình OCOP của Hải Phòng.",
            "Nấm (Cordyceps militaris) được nuôi trên giá thể ngũ cốc trong phòng kín khoảng 60 ngày, thu hái, "
            "sấy lạnh để giữ màu và dược chất. " + ILLUSTRATIVE,
        ),
        quote=("Phòng nuôi sạch thì nấm mới đều màu, đều sợi.",
               "Kỹ thuật viên của công ty (lời kể minh hoạ)"),
        products=(
            Product(
                code="DTHT", title="Nấm đông trùng hạ thảo Trường Sinh", group="duoc-lieu", subgroup="thuc-pham-chuc-nang",
                intro="Nấm đông trùng hạ thảo sấy lạnh nguyên sợi, màu cam tự nhiên. OCOP 4 sao.",
                description="<p>Dùng pha trà, hầm canh hoặc ngâm mật ong.</p>",
                ingredients="Nấm đông trùng hạ thảo (Cordyceps militaris) sấy khô.",
                usage="Hãm 1–2 g với nước sôi 90 °C, uống trong ngày.",
                storage="Nơi khô ráo, tránh ánh sáng; đậy kín nắp.",
                shelf_life="24 tháng",
                standards=("iso-22000",), featured=True,
                certs=(Cert(4, 80, 786, "2024-03-18"),),
                packs=(Pack("10G", "Hộp 10 g", 150, 220_000, 70),
                       Pack("50G", "Hộp 50 g", 300, 1_000_000, 20)),
            ),
            Product(
                code="TDTHT", title="Trà đông trùng hạ thảo Trường Sinh", group="do-uong", subgroup="do-uong-khong-con",
                intro="Trà túi lọc từ đông trùng hạ thảo và cỏ ngọt.",
                description="<p>Tiện pha tại nhà, nơi làm việc.</p>",
                ingredients="Đông trùng hạ thảo, cỏ ngọt, trà xanh.",
                usage="Mỗi túi lọc hãm với 150 ml nước sôi trong 5 phút.",
                shelf_life="18 tháng",
                certs=(Cert(3, 62, 4521, "2024-12-09"),),
                packs=(Pack("20T", "Hộp 20 túi lọc", 120, 180_000, 90),),
            ),
        ),
    ),
    Producer(
        title="Tổ hợp tác nuôi ong Đại Hợp",
        legal_form="to_hop_tac",
        legacy_province="Thành phố Hải Phòng",
        legacy_district="Huyện Kiến Thụy",
        legacy_commune="Xã Đại Hợp",
        initials="ĐH",
        intro="Các hộ nuôi ong ở vùng ven biển Đại Hợp cùng lấy mật, lọc và đóng chai.",
        story=(
            "Mật ong Đại Hợp là một trong các sản phẩm OCOP của huyện Kiến Thụy.",
            "Đàn ong được di chuyển theo mùa hoa nhãn, hoa vải và hoa keo; mật được quay ở độ chín, lọc và "
            "kiểm tra độ ẩm trước khi đóng chai. " + ILLUSTRATIVE,
        ),
        quote=("Mật chín là mật ong đã vít nắp sáp, quay sớm thì mật loãng và dễ lên men.",
               "Một thành viên tổ hợp tác (lời kể minh hoạ)"),
        products=(
            Product(
                code="MODH", title="Mật ong Đại Hợp", group="thuc-pham", subgroup="mat-ong-nong-san-so-che",
                intro="Mật ong bách hoa vùng ven biển Kiến Thụy.",
                description="<p>Mật ong nguyên chất, độ ẩm dưới 20%.</p>",
                ingredients="Mật ong nguyên chất.",
                usage="Không dùng cho trẻ dưới 1 tuổi.",
                storage="Nhiệt độ phòng, tránh ánh nắng.",
                shelf_life="24 tháng",
                certs=(Cert(3, 63, 4522, "2024-12-09"),),
                packs=(Pack("500ML", "Chai 500 ml", 750, 150_000, 80),
                       Pack("1L", "Chai 1 lít", 1450, 280_000, 30)),
            ),
            Product(
                code="MOHN", title="Mật ong hoa nhãn Đại Hợp", group="thuc-pham", subgroup="mat-ong-nong-san-so-che",
                intro="Mật ong vụ hoa nhãn tháng 3–4, màu hổ phách, thơm mùi nhãn.",
                description="<p>Mật ong một loại hoa, quay trong mùa nhãn.</p>",
                ingredients="Mật ong hoa nhãn nguyên chất.",
                shelf_life="24 tháng",
                certs=(Cert(3, 60, 4523, "2024-12-09"),),
                packs=(Pack("500ML", "Chai 500 ml", 750, 170_000, 60),),
            ),
        ),
    ),
    Producer(
        title="Hộ kinh doanh Cá kho làng chài Kiến Thụy",
        legal_form="ho_kinh_doanh",
        legacy_province="Thành phố Hải Phòng",
        legacy_district="Huyện Kiến Thụy",
        legacy_commune="Xã Đoàn Xá",
        initials="CK",
        intro="Cá biển kho niêu đất theo cách của các gia đình làng chài.",
        story=(
            "Cá kho làng chài là một trong các sản phẩm OCOP 4 sao của huyện Kiến Thụy.",
            "Cá được mua từ thuyền về bến buổi sớm, làm sạch, ướp nước mắm, gừng, riềng rồi kho lửa nhỏ trong "
            "niêu đất nhiều giờ cho tới khi xương mềm. " + ILLUSTRATIVE,
        ),
        quote=("Cá phải kho bằng củi, liu riu từ sáng tới chiều.", "Chủ hộ (lời kể minh hoạ)"),
        products=(
            Product(
                code="CKLC", title="Cá kho làng chài", group="thuc-pham", subgroup="thuc-pham-che-bien",
                intro="Cá biển kho niêu, xương mềm, đậm vị gừng riềng. OCOP 4 sao.",
                description="<p>Hâm nóng là dùng được, hợp với cơm trắng.</p>",
                ingredients="Cá biển, nước mắm, gừng, riềng, ớt, đường, thịt ba chỉ.",
                usage="Hâm nóng trên bếp hoặc lò vi sóng trước khi ăn.",
                storage="Ngăn mát 0–4 °C; ngăn đá để lâu hơn.",
                shelf_life="10 ngày ngăn mát, 3 tháng ngăn đá",
                certs=(Cert(4, 74, 2650, "2024-09-25"),),
                packs=(Pack("300G", "Hộp 300 g", 350, 95_000, 60),
                       Pack("NIEU", "Niêu đất 500 g", 1200, 150_000, 40)),
            ),
        ),
    ),
    Producer(
        title="Hợp tác xã Dịch vụ nông nghiệp Tú Sơn",
        legal_form="htx",
        legacy_province="Thành phố Hải Phòng",
        legacy_district="Huyện Kiến Thụy",
        legacy_commune="Xã Tú Sơn",
        initials="TS",
        intro="Vùng ruộng rươi ven sông Văn Úc: gạo, nếp và chả rươi theo mùa.",
        story=(
            "Gạo ruộng rươi là sản phẩm OCOP của huyện Kiến Thụy. Ruộng rươi là ruộng lúa nước lợ ven sông, "
            "không phun thuốc trừ sâu để rươi sinh sống; rươi nổi vào tháng 9, tháng 10 âm lịch.",
            "Hợp tác xã liên kết các hộ cấy một vụ lúa trên ruộng rươi, thu mua thóc, xay xát và đóng túi. " + ILLUSTRATIVE,
        ),
        quote=("Ruộng có rươi là ruộng sạch: thuốc sâu vào thì rươi bỏ đi.",
               "Một xã viên hợp tác xã (lời kể minh hoạ)"),
        products=(
            Product(
                code="GRR", title="Gạo ruộng rươi", group="thuc-pham", subgroup="gao-ngu-coc",
                intro="Gạo từ ruộng rươi không thuốc trừ sâu, hạt chắc, cơm dẻo. OCOP 4 sao.",
                description="<p>Xay xát mới, đóng túi hút chân không.</p>",
                ingredients="Gạo tẻ 100%.",
                storage="Nơi khô ráo, thoáng mát.",
                shelf_life="6 tháng",
                certs=(Cert(4, 75, 2651, "2024-09-25"),),
                packs=(Pack("2KG", "Túi 2 kg", 2000, 60_000, 150),
                       Pack("5KG", "Túi 5 kg", 5000, 140_000, 80),
                       Pack("10KG", "Bao 10 kg", 10000, 270_000, 30)),
            ),
            Product(
                code="GNRR", title="Gạo nếp ruộng rươi", group="thuc-pham", subgroup="gao-ngu-coc",
                intro="Nếp cái hoa vàng trồng trên ruộng rươi, dẻo thơm.",
                description="<p>Dùng đồ xôi, gói bánh chưng, nấu rượu.</p>",
                ingredients="Gạo nếp 100%.",
                shelf_life="6 tháng",
                certs=(Cert(3, 59, 4524, "2024-12-09"),),
                packs=(Pack("2KG", "Túi 2 kg", 2000, 80_000, 70),),
            ),
            Product(
                code="CRKT", title="Chả rươi Kiến Thụy", group="thuc-pham", subgroup="thuc-pham-che-bien",
                intro="Chả rươi rán vàng từ rươi tươi mùa thu, thịt lợn, trứng và vỏ quýt.",
                description="<p>Đóng hộp cấp đông ngay sau khi rán; chỉ làm trong mùa rươi.</p>",
                ingredients="Rươi, thịt lợn, trứng gà, vỏ quýt, thì là, hành.",
                usage="Rán lại hoặc nướng 5 phút trước khi ăn.",
                storage="Ngăn đá −18 °C.",
                shelf_life="3 tháng ngăn đá",
                months=(10, 11),
                # Recognised after July 2025 by today's province.
                certs=(Cert(3, 66, 3380, "2025-11-14"),),
                packs=(Pack("500G", "Hộp 500 g (10 miếng)", 600, 250_000, 40),),
            ),
        ),
    ),
    # --- Huyện Thanh Sơn (Phú Thọ): HTX chè Cẩm Mỹ, xã Tất Thắng; re-rated after 36 months ------------------
    Producer(
        title="Hợp tác xã Chè Cẩm Mỹ",
        legal_form="htx",
        legacy_province="Tỉnh Phú Thọ",
        legacy_district="Huyện Thanh Sơn",
        legacy_commune="Xã Tất Thắng",
        initials="CM",
        standards=("vietgap", "huu-co"),
        intro="Hợp tác xã trồng và chế biến chè theo VietGAP và hữu cơ ở xã Tất Thắng, Thanh Sơn.",
        story=(
            "Hợp tác xã chè Cẩm Mỹ ở xã Tất Thắng, huyện Thanh Sơn trồng chè theo tiêu chuẩn VietGAP và hữu cơ. "
            "Sản phẩm chè của hợp tác xã được công nhận OCOP 3 sao, rồi sau 36 tháng được đánh giá lại và nâng lên 4 sao.",
            "Chè được hái một tôm hai lá, làm héo, vò và sao trên chảo gang. Từ tháng 7/2025, xã Tất Thắng "
            "thuộc xã Cự Đồng mới của tỉnh Phú Thọ. " + ILLUSTRATIVE,
        ),
        quote=("Đánh giá lại sau ba năm là dịp để hợp tác xã làm tốt hơn, không chỉ giữ sao.",
               "Ban quản trị hợp tác xã (lời kể minh hoạ)"),
        products=(
            Product(
                code="CCM", title="Chè Cẩm Mỹ", group="thuc-pham", subgroup="che",
                intro="Chè xanh sao chảo của xã Tất Thắng, nước xanh, hậu ngọt. OCOP 4 sao sau khi đánh giá lại.",
                description="<p>Chè búp hái tay, chế biến trong ngày, trồng theo VietGAP và hữu cơ.</p>",
                ingredients="Búp chè xanh 100%.",
                usage="5 g chè với 150 ml nước 85–90 °C, hãm 2–3 phút.",
                storage="Đóng kín, nơi khô mát, tránh mùi lạ.",
                shelf_life="12 tháng",
                standards=("vietgap", "huu-co"), featured=True,
                # 3★ in 2021 (district), lapsed after 36 months; re-rated 4★ by the province in 2024.
                certs=(Cert(3, 66, 356, "2021-03-15"), Cert(4, 76, 812, "2024-04-10")),
                packs=(Pack("200G", "Túi 200 g", 220, 80_000, 120),
                       Pack("500G", "Hộp 500 g", 600, 190_000, 50)),
            ),
            Product(
                code="CDCM", title="Chè đinh Cẩm Mỹ", group="thuc-pham", subgroup="che",
                intro="Chè đinh chỉ lấy phần búp non nhất, hộp quà.",
                description="<p>Búp chè nhỏ như chiếc đinh, vị đậm và hương cốm.</p>",
                ingredients="Búp chè non 100%.",
                shelf_life="12 tháng",
                standards=("huu-co",),
                certs=(Cert(4, 72, 812, "2024-04-10"),),
                packs=(Pack("100G", "Hộp 100 g", 200, 150_000, 40),),
            ),
        ),
    ),
    # --- Phú Thọ: bánh chưng Đất Tổ -----------------------------------------------------------------------------
    Producer(
        title="Hộ kinh doanh Bánh chưng Đất Tổ Hy Cương",
        legal_form="ho_kinh_doanh",
        legacy_province="Tỉnh Phú Thọ",
        legacy_district="Thành phố Việt Trì",
        legacy_commune="Xã Hy Cương",
        initials="ĐT",
        intro="Bánh chưng, bánh giầy gói tay dưới chân núi Nghĩa Lĩnh, nơi có Đền Hùng.",
        story=(
            "Xã Hy Cương là nơi có Khu di tích lịch sử Đền Hùng; truyền thuyết Lang Liêu dâng bánh chưng, bánh giầy "
            "lên vua Hùng gắn với vùng đất Tổ.",
            "Bánh được gói bằng lá dong rừng, gạo nếp cái hoa vàng, đậu xanh và thịt lợn, luộc mười tiếng bằng củi. " + ILLUSTRATIVE,
        ),
        quote=("Bánh chưng vuông gói bằng tay, không dùng khuôn, mới đúng bánh Đất Tổ.", "Chủ hộ (lời kể minh hoạ)"),
        products=(
            Product(
                code="BCDT", title="Bánh chưng Đất Tổ", group="thuc-pham", subgroup="thuc-pham-che-bien",
                intro="Bánh chưng vuông gói lá dong, luộc củi mười tiếng.",
                description="<p>Hút chân không sau khi luộc, giao trong ngày ở Phú Thọ và Hà Nội.</p>",
                ingredients="Gạo nếp, đậu xanh, thịt lợn, hành, hạt tiêu, lá dong.",
                usage="Ăn nguội hoặc rán.",
                storage="Nhiệt độ phòng 3 ngày, ngăn mát 10 ngày.",
                shelf_life="10 ngày ngăn mát",
                certs=(Cert(3, 65, 1105, "2024-03-25"),),
                packs=(Pack("1C", "Chiếc 1 kg", 1000, 80_000, 100),
                       Pack("2C", "Cặp 2 chiếc", 2000, 150_000, 60)),
            ),
            Product(
                code="BGDT", title="Bánh giầy Đất Tổ", group="thuc-pham", subgroup="thuc-pham-che-bien",
                intro="Bánh giầy giã tay, mịn và dẻo, ăn kèm giò lụa.",
                description="<p>Làm từ nếp cái hoa vàng, giã trong cối đá.</p>",
                ingredients="Gạo nếp, đậu xanh.",
                storage="Ngăn mát, dùng trong 5 ngày.",
                certs=(Cert(3, 57, 1105, "2024-03-25"),),
                packs=(Pack("10C", "Túi 10 chiếc", 600, 50_000, 80),),
            ),
        ),
    ),
    # --- Sơn La: chè shan tuyết Mộc Châu, mận hậu, xoài tròn Yên Châu, du lịch cộng đồng ------------------------
    Producer(
        title="Hợp tác xã Chè shan tuyết Mộc Châu",
        legal_form="htx",
        legacy_province="Tỉnh Sơn La",
        legacy_district="Huyện Mộc Châu",
        legacy_commune="Xã Tân Lập",
        initials="ST",
        standards=("huu-co", "vietgap"),
        intro="Chè shan tuyết cổ thụ và mận hậu trên cao nguyên Mộc Châu.",
        story=(
            "Cao nguyên Mộc Châu cao hơn 1.000 m, sương mù quanh năm; những cây chè shan tuyết lâu năm cho búp "
            "phủ lông tơ trắng như tuyết, nên có tên “shan tuyết”.",
            "Hợp tác xã thu hái búp chè của các hộ, chế biến theo quy trình hữu cơ và trồng mận hậu trên đồi. " + ILLUSTRATIVE,
        ),
        quote=("Cây chè shan tuyết càng già, nước chè càng ngọt hậu.", "Một xã viên (lời kể minh hoạ)"),
        products=(
            Product(
                code="CSTMC", title="Chè shan tuyết Mộc Châu", group="thuc-pham", subgroup="che",
                intro="Chè shan tuyết cao nguyên Mộc Châu, búp phủ lông trắng, nước vàng sánh. OCOP 4 sao.",
                description="<p>Chè từ cây shan tuyết lâu năm, chế biến thủ công.</p>",
                ingredients="Búp chè shan tuyết 100%.",
                usage="5 g chè với 150 ml nước 90 °C, hãm 3 phút.",
                shelf_life="18 tháng",
                standards=("huu-co",), featured=True,
                certs=(Cert(4, 81, 1890, "2024-08-30"),),
                packs=(Pack("100G", "Hộp 100 g", 200, 120_000, 90),
                       Pack("500G", "Túi 500 g", 560, 450_000, 25)),
            ),
            Product(
                code="MHMC", title="Mận hậu Mộc Châu", group="thuc-pham", subgroup="rau-cu-qua-hat-tuoi",
                intro="Mận hậu giòn, chua ngọt, thu hoạch tháng 5–7.",
                description="<p>Hái khi quả vừa chín, đóng thùng có lỗ thoáng.</p>",
                storage="Ngăn mát, dùng trong 7 ngày.",
                months=(5, 6, 7), sold_in_season_only=True, standards=("vietgap",),
                certs=(Cert(3, 62, 1422, "2024-06-12"),),
                packs=(Pack("3KG", "Thùng 3 kg", 3000, 150_000, 60),
                       Pack("5KG", "Thùng 5 kg", 5000, 240_000, 30)),
            ),
        ),
    ),
    Producer(
        title="Hợp tác xã Xoài tròn Yên Châu",
        legal_form="htx",
        legacy_province="Tỉnh Sơn La",
        legacy_district="Huyện Yên Châu",
        legacy_commune="Xã Chiềng Hặc",
        initials="YC",
        standards=("vietgap",),
        intro="Xoài tròn bản địa của Yên Châu, quả nhỏ, thơm đậm.",
        story=(
            "Xoài tròn Yên Châu mang chỉ dẫn địa lý “Yên Châu”: giống xoài bản địa quả nhỏ, vỏ mỏng, thịt thơm "
            "đậm, chín vào tháng 4 đến tháng 6.",
            "Hợp tác xã trồng theo VietGAP trên các triền đồi dọc quốc lộ 6, sấy dẻo phần quả nhỏ. " + ILLUSTRATIVE,
        ),
        quote=("Xoài tròn nhỏ quả nhưng thơm hơn mọi giống xoài khác.", "Một thành viên hợp tác xã (lời kể minh hoạ)"),
        products=(
            Product(
                code="XTYC", title="Xoài tròn Yên Châu", group="thuc-pham", subgroup="rau-cu-qua-hat-tuoi",
                intro="Xoài tròn chín cây, vỏ mỏng, thịt vàng, thơm đậm. OCOP 4 sao.",
                description="<p>Thu hái từ tháng 4 đến tháng 6, tuyển quả đều.</p>",
                storage="Nhiệt độ phòng cho chín tiếp; ngăn mát khi đã chín.",
                geographical_indication="Yên Châu", sold_in_season_only=True, months=(4, 5, 6), standards=("vietgap",), featured=True,
                certs=(Cert(4, 79, 1256, "2024-05-16"),),
                packs=(Pack("3KG", "Thùng 3 kg", 3000, 180_000, 70),
                       Pack("5KG", "Thùng 5 kg", 5000, 290_000, 40)),
            ),
            Product(
                code="XSYC", title="Xoài sấy dẻo Yên Châu", group="thuc-pham", subgroup="thuc-pham-che-bien",
                intro="Xoài tròn Yên Châu sấy dẻo, không đường.",
                description="<p>Sấy lạnh giữ màu vàng tự nhiên.</p>",
                ingredients="Xoài tròn Yên Châu 100%.",
                shelf_life="9 tháng",
                certs=(Cert(3, 61, 2566, "2025-09-08"),),
                packs=(Pack("200G", "Túi 200 g", 220, 65_000, 100),),
            ),
        ),
    ),
    Producer(
        title="Tổ hợp tác Du lịch cộng đồng bản Áng",
        legal_form="to_hop_tac",
        legacy_province="Tỉnh Sơn La",
        legacy_district="Huyện Mộc Châu",
        legacy_commune="Xã Đông Sang",
        initials="BA",
        intro="Homestay nhà sàn, rừng thông và ẩm thực Thái ở bản Áng, Mộc Châu.",
        story=(
            "Bản Áng của đồng bào Thái nằm bên rừng thông và hồ nước, là điểm du lịch cộng đồng quen thuộc của Mộc Châu.",
            "Các hộ trong tổ hợp tác đón khách ở nhà sàn, nấu cơm lam, gà nướng, tổ chức múa xòe và dẫn khách "
            "đi đồi chè. " + ILLUSTRATIVE,
        ),
        quote=("Khách đến bản là khách của cả bản.", "Một chủ homestay (lời kể minh hoạ)"),
        products=(
            Product(
                code="DLBA", title="Du lịch cộng đồng bản Áng", group="du-lich", subgroup="du-lich-cong-dong",
                intro="Trải nghiệm một ngày hoặc nghỉ đêm ở nhà sàn người Thái, rừng thông và đồi chè Mộc Châu.",
                description="<p>Gói dịch vụ gồm hướng dẫn viên người bản, bữa ăn truyền thống và văn nghệ.</p>",
                usage="Chọn ngày và số khách khi đặt; phiếu đặt chỗ có mã QR gửi qua email, đưa chủ nhà khi đến.",
                certs=(Cert(3, 68, 1430, "2024-06-12"),),
                # Booked by date (shop.bookings): no weight, no parcel; places per date instead of stock.
                packs=(Pack("1N", "Tour trải nghiệm 1 ngày / người", None, 350_000, 0, capacity=20),
                       Pack("2N1D", "2 ngày 1 đêm homestay nhà sàn / người", None, 750_000, 0, capacity=12)),
            ),
        ),
    ),
    # --- Bắc Giang (now Bắc Ninh): gà đồi Yên Thế, rượu làng Vân ---------------------------------------------
    Producer(
        title="Hợp tác xã Gà đồi Yên Thế",
        legal_form="htx",
        legacy_province="Tỉnh Bắc Giang",
        legacy_district="Huyện Yên Thế",
        legacy_commune="Xã Đồng Tâm",
        initials="YT",
        standards=("vietgap",),
        intro="Gà thả đồi vải và đồi keo ở Yên Thế, giết mổ tập trung, có tem truy xuất.",
        story=(
            "Gà đồi Yên Thế được bảo hộ nhãn hiệu tập thể; gà thả vườn đồi, ăn ngô thóc, thịt chắc, da giòn. "
            "Từ tháng 7/2025, huyện Yên Thế cũ thuộc tỉnh Bắc Ninh.",
            "Hợp tác xã liên kết các trại nuôi theo VietGAP, giết mổ tại cơ sở đạt chuẩn, làm sạch và cấp đông. " + ILLUSTRATIVE,
        ),
        quote=("Gà đồi phải chạy nhảy đủ 5 tháng mới xuất chuồng.", "Một chủ trại (lời kể minh hoạ)"),
        products=(
            Product(
                code="GDYT", title="Gà đồi Yên Thế", group="thuc-pham", subgroup="thit-thuy-san-trung-sua",
                intro="Gà thả đồi nuôi trên 5 tháng, làm sạch nguyên con, giao lạnh.",
                description="<p>Đóng túi hút chân không, có tem truy xuất nguồn gốc.</p>",
                storage="Ngăn mát 0–4 °C 3 ngày; ngăn đá 3 tháng.",
                geographical_indication="Yên Thế", standards=("vietgap",),
                certs=(Cert(4, 77, 1345, "2024-10-08"),),
                packs=(Pack("15KG", "Gà làm sạch (khoảng 1,5 kg)", 1600, 240_000, 50),
                       Pack("2KG", "Gà làm sạch (khoảng 2 kg)", 2100, 320_000, 30)),
            ),
        ),
    ),
    Producer(
        title="Hộ kinh doanh Rượu làng Vân",
        legal_form="ho_kinh_doanh",
        legacy_province="Tỉnh Bắc Giang",
        legacy_district="Thị xã Việt Yên",
        legacy_commune="Xã Vân Hà",
        initials="LV",
        intro="Rượu gạo nấu thủ công theo nghề truyền thống của làng Vân.",
        story=(
            "Làng Vân bên sông Cầu nổi tiếng với rượu nấu từ gạo nếp cái và men thuốc bắc.",
            "Rượu được chưng cất bằng nồi đồng, hạ thổ trong chum sành ít nhất sáu tháng trước khi đóng chai. " + ILLUSTRATIVE,
        ),
        quote=("Rượu làng Vân uống êm, không đau đầu là nhờ men và nước giếng làng.", "Chủ hộ (lời kể minh hoạ)"),
        products=(
            Product(
                code="RLV", title="Rượu làng Vân", group="do-uong", subgroup="do-uong-co-con",
                intro="Rượu nếp 40 độ, hạ thổ trong chum sành. OCOP 4 sao.",
                description="<p>Sản phẩm có cồn: không bán cho người dưới 18 tuổi.</p>",
                ingredients="Gạo nếp cái, men thuốc bắc, nước.",
                storage="Nơi thoáng mát, tránh ánh nắng.",
                certs=(Cert(4, 73, 1346, "2024-10-08"),),
                packs=(Pack("500ML", "Chai 500 ml", 1000, 150_000, 80),
                       Pack("1L", "Bình gốm 1 lít", 1900, 320_000, 30)),
            ),
        ),
    ),
    # --- Kiên Giang (now An Giang): nước mắm Phú Quốc -------------------------------------------------------
    Producer(
        title="Công ty TNHH Nước mắm Hưng Thịnh Phú Quốc",
        legal_form="doanh_nghiep",
        legacy_province="Tỉnh Kiên Giang",
        legacy_district="Thành phố Phú Quốc",
        legacy_commune="Phường Dương Đông",
        initials="HT",
        standards=("haccp",),
        intro="Nhà thùng ủ chượp cá cơm bằng thùng gỗ trên đảo Phú Quốc.",
        story=(
            "Nước mắm Phú Quốc được bảo hộ chỉ dẫn địa lý: cá cơm đánh bắt quanh đảo, ướp muối ngay trên thuyền "
            "và ủ chượp trong thùng gỗ từ 12 tháng trở lên. Từ tháng 7/2025, Phú Quốc là đặc khu của tỉnh An Giang.",
            "Nhà thùng rút nước mắm nhĩ đầu tiên để đóng chai 40 độ đạm và pha đấu các mẻ sau cho loại 30 độ đạm. " + ILLUSTRATIVE,
        ),
        quote=("Thùng gỗ bời lời giữ cho nước mắm thơm và trong.", "Thợ nhà thùng (lời kể minh hoạ)"),
        products=(
            Product(
                code="NMPQ40", title="Nước mắm Phú Quốc 40 độ đạm", group="thuc-pham", subgroup="gia-vi-nuoc-mam",
                intro="Nước mắm nhĩ cá cơm 40 độ đạm, ủ thùng gỗ trên 12 tháng. OCOP 5 sao.",
                description="<p>Nước mắm nguyên chất, màu cánh gián, không chất bảo quản.</p>",
                ingredients="Cá cơm, muối biển.",
                usage="Chấm trực tiếp hoặc pha nước chấm.",
                storage="Nơi thoáng mát, đậy kín nắp.",
                shelf_life="36 tháng",
                geographical_indication="Phú Quốc", standards=("haccp",), featured=True,
                # 5★ after the 2025 merger of ministries: Bộ Nông nghiệp và Môi trường.
                certs=(Cert(5, 91, 4870, "2025-12-16"),),
                packs=(Pack("500ML", "Chai 500 ml", 800, 140_000, 150),
                       Pack("2X500", "Hộp quà 2 chai 500 ml", 1750, 290_000, 60)),
            ),
            Product(
                code="NMPQ30", title="Nước mắm Phú Quốc 30 độ đạm", group="thuc-pham", subgroup="gia-vi-nuoc-mam",
                intro="Nước mắm cá cơm 30 độ đạm dùng nấu ăn hằng ngày.",
                description="<p>Vị mặn dịu, hậu ngọt.</p>",
                ingredients="Cá cơm, muối biển.",
                shelf_life="36 tháng",
                geographical_indication="Phú Quốc", standards=("haccp",),
                certs=(Cert(4, 78, 1518, "2024-07-04"),),
                packs=(Pack("500ML", "Chai 500 ml", 800, 85_000, 200),),
            ),
        ),
    ),
    # --- Quảng Ninh: dược liệu Ba Chẽ ------------------------------------------------------------------------
    Producer(
        title="Hợp tác xã Dược liệu Ba Chẽ",
        legal_form="htx",
        legacy_province="Tỉnh Quảng Ninh",
        legacy_district="Huyện Ba Chẽ",
        legacy_commune="Thị trấn Ba Chẽ",
        initials="BC",
        standards=("huu-co", "gmp"),
        intro="Trà hoa vàng và ba kích tím trồng dưới tán rừng Ba Chẽ.",
        story=(
            "Ba Chẽ là vùng dược liệu của Quảng Ninh, nổi tiếng với trà hoa vàng và ba kích tím trồng dưới tán rừng.",
            "Hợp tác xã sấy hoa ở nhiệt độ thấp để giữ màu vàng và hương, ba kích được rút lõi và phơi khô. " + ILLUSTRATIVE,
        ),
        quote=("Hoa vàng hái lúc vừa nở, sấy trong ngày mới giữ được màu.", "Một xã viên (lời kể minh hoạ)"),
        products=(
            Product(
                code="THVBC", title="Trà hoa vàng Ba Chẽ", group="duoc-lieu", subgroup="thuc-pham-chuc-nang",
                intro="Hoa trà vàng sấy khô nguyên bông, nước vàng óng, vị ngọt dịu. OCOP 5 sao.",
                description="<p>Hoa trà vàng (Camellia chrysantha) trồng dưới tán rừng tự nhiên.</p>",
                ingredients="Hoa trà vàng sấy khô 100%.",
                usage="3–4 bông hãm với 300 ml nước 90 °C.",
                shelf_life="24 tháng",
                standards=("huu-co",),
                certs=(Cert(5, 92, 2517, "2024-09-26"),),
                packs=(Pack("20G", "Hộp 20 g", 150, 220_000, 60),
                       Pack("100G", "Hộp 100 g", 400, 950_000, 15)),
            ),
            Product(
                code="BKBC", title="Ba kích tím Ba Chẽ", group="duoc-lieu", subgroup="thuoc-duoc-lieu",
                intro="Củ ba kích tím rút lõi, phơi khô, dùng ngâm rượu hoặc sắc uống.",
                description="<p>Ba kích trồng trên 3 năm dưới tán rừng.</p>",
                ingredients="Rễ ba kích tím khô.",
                usage="Theo hướng dẫn của thầy thuốc.",
                shelf_life="24 tháng",
                standards=("gmp",),
                certs=(Cert(4, 84, 1733, "2024-05-27"),),
                packs=(Pack("500G", "Túi 500 g", 550, 350_000, 40),),
            ),
        ),
    ),
    # --- Hà Nội: gốm Bát Tràng -------------------------------------------------------------------------------
    Producer(
        title="Công ty TNHH Gốm men lam Bát Tràng",
        legal_form="doanh_nghiep",
        legacy_province="Thành phố Hà Nội",
        legacy_district="Huyện Gia Lâm",
        legacy_commune="Xã Bát Tràng",
        commune="Xã Bát Tràng",
        initials="BT",
        standards=("iso-9001",),
        intro="Xưởng gốm vẽ tay men lam của làng nghề Bát Tràng.",
        story=(
            "Làng gốm Bát Tràng bên sông Hồng có nghề gốm hơn năm thế kỷ; men lam vẽ tay là dòng gốm truyền thống.",
            "Xưởng tạo dáng bằng bàn xoay, vẽ tay từng nét trước khi tráng men và nung ở 1.250 °C. " + ILLUSTRATIVE,
        ),
        quote=("Mỗi chiếc bình là một bức tranh, không chiếc nào giống chiếc nào.", "Nghệ nhân của xưởng (lời kể minh hoạ)"),
        products=(
            Product(
                code="BGMLBT", title="Bình gốm men lam Bát Tràng", group="thu-cong-my-nghe", subgroup="gom-su",
                intro="Bình hút lộc vẽ tay men lam, nung 1.250 °C. OCOP 5 sao.",
                description="<p>Hoa văn sen, cúc, mây vẽ tay; đóng thùng chống va đập.</p>",
                storage="Lau bằng khăn mềm.",
                featured=True,
                certs=(Cert(5, 93, 2231, "2024-06-27"),),
                packs=(Pack("30CM", "Bình cao 30 cm", 2500, 850_000, 20),
                       Pack("45CM", "Bình cao 45 cm", 5000, 1_650_000, 8)),
            ),
            Product(
                code="AMRBT", title="Bộ ấm chén men rạn Bát Tràng", group="thu-cong-my-nghe", subgroup="gom-su",
                intro="Bộ ấm chén men rạn cổ, 1 ấm 6 chén.",
                description="<p>Men rạn tự nhiên, an toàn thực phẩm.</p>",
                certs=(Cert(4, 85, 5120, "2024-11-19"),),
                packs=(Pack("6C", "Bộ 1 ấm 6 chén", 1800, 450_000, 35),),
            ),
        ),
    ),
    # --- Thanh Hóa: cói Nga Sơn ------------------------------------------------------------------------------
    Producer(
        title="Hợp tác xã Cói Nga Sơn",
        legal_form="htx",
        legacy_province="Tỉnh Thanh Hóa",
        legacy_district="Huyện Nga Sơn",
        legacy_commune="Xã Nga Liên",
        initials="NS",
        intro="Chiếu cói và đồ dùng đan cói của vùng cói ven biển Nga Sơn.",
        story=(
            "Chiếu cói Nga Sơn nổi tiếng khắp cả nước; cây cói được trồng trên đất bãi bồi ven biển.",
            "Cói được chẻ, phơi, nhuộm màu rồi dệt trên khung; các hộ đan túi và làn cói xuất khẩu. " + ILLUSTRATIVE,
        ),
        quote=("Chiếu Nga Sơn dệt chặt tay nên nằm mát, dùng được nhiều năm.", "Một thợ dệt (lời kể minh hoạ)"),
        products=(
            Product(
                code="CCNS", title="Chiếu cói Nga Sơn", group="thu-cong-my-nghe", subgroup="soi-tu-nhien",
                intro="Chiếu cói dệt hoa văn đỏ truyền thống. OCOP 4 sao.",
                description="<p>Cói chẻ nhỏ, dệt chặt, viền vải chắc chắn.</p>",
                storage="Phơi khô, cuộn gọn nơi thoáng.",
                certs=(Cert(4, 74, 1692, "2024-07-22"),),
                packs=(Pack("16", "Chiếu 1,6 × 2 m", 3000, 350_000, 40),
                       Pack("18", "Chiếu 1,8 × 2 m", 3500, 420_000, 30)),
            ),
            Product(
                code="TXCNS", title="Túi xách cói Nga Sơn", group="thu-cong-my-nghe", subgroup="soi-tu-nhien",
                intro="Túi xách đan tay từ cói Nga Sơn, quai da.",
                description="<p>Sản phẩm thủ công, mỗi chiếc hơi khác nhau.</p>",
                # Recognised after July 2025: 3★ by the province.
                certs=(Cert(3, 63, 2981, "2025-10-03"),),
                packs=(Pack("TUI", "Túi 35 × 25 cm", 400, 180_000, 50),),
            ),
        ),
    ),
    # --- Nam Định (now Ninh Bình): sinh vật cảnh Vị Khê -------------------------------------------------------
    Producer(
        title="Tổ hợp tác Sinh vật cảnh Vị Khê",
        legal_form="to_hop_tac",
        legacy_province="Tỉnh Nam Định",
        legacy_district="Huyện Nam Trực",
        commune="Phường Vị Khê",
        initials="VK",
        intro="Cây cảnh nghệ thuật và đào thế của làng hoa, cây cảnh Vị Khê.",
        story=(
            "Làng Vị Khê bên sông Hồng có nghề trồng hoa, cây cảnh lâu đời, nổi tiếng với cây thế và đào Tết.",
            "Các hộ trong tổ hợp tác uốn tạo dáng cây trong nhiều năm, giao cây kèm chậu và hướng dẫn chăm sóc. "
            "Từ tháng 7/2025, Nam Định cũ thuộc tỉnh Ninh Bình. " + ILLUSTRATIVE,
        ),
        quote=("Một cây thế đẹp là công sức của cả chục năm.", "Một nghệ nhân (lời kể minh hoạ)"),
        products=(
            Product(
                code="BSVK", title="Cây cảnh bonsai Vị Khê", group="sinh-vat-canh", subgroup="cay-canh",
                intro="Bonsai tạo dáng thủ công, kèm chậu gốm. OCOP 4 sao.",
                description="<p>Giao kèm hướng dẫn tưới, bón và cắt tỉa.</p>",
                usage="Đặt nơi có nắng sáng, tưới ẩm mỗi ngày.",
                certs=(Cert(4, 76, 2874, "2024-09-10"),),
                packs=(Pack("30CM", "Chậu mini (cao 30 cm)", 3000, 450_000, 25),
                       Pack("50CM", "Chậu để bàn (cao 50 cm)", 8000, 1_200_000, 10)),
            ),
            Product(
                code="DTVK", title="Đào thế Vị Khê", group="sinh-vat-canh", subgroup="cay-canh",
                intro="Đào thế chơi Tết, tạo dáng nhiều năm, giao trước Tết.",
                description="<p>Cây được hãm nụ để nở đúng dịp Tết Nguyên đán.</p>",
                months=(1, 2),
                certs=(Cert(3, 64, 4410, "2024-12-17"),),
                packs=(Pack("1M", "Cây cao khoảng 1 m", 15000, 1_500_000, 12),),
            ),
        ),
    ),
)
