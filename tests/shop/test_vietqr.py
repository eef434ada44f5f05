"""VietQR strings: CRC, field layout, validation, message folding and the drawn QR code."""


import pytest

from shop.vietqr import crc16_ccitt, parse, payload, svg

SAMPLE = dict(bank_bin="970436", account="0011001234567", amount=350_000, message="DH-2026-000123")


def make(**changes):
    return payload(**{**SAMPLE, **changes})


# --- CRC ---------------------------------------------------------------------------------------


def test_crc_known_answer():
    assert crc16_ccitt("123456789") == "29B1"  # the catalogue check value of CRC-16/CCITT-FALSE


def test_crc_is_four_uppercase_hex_digits_even_with_leading_zeros():
    assert crc16_ccitt("") == "FFFF"  # the initial value: nothing was fed in
    values = [crc16_ccitt(str(n)) for n in range(300)]
    assert all(len(v) == 4 and v == v.upper() and int(v, 16) >= 0 for v in values)
    assert any(v.startswith("0") for v in values)  # padded, not truncated


# --- the string --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        # Test vectors published by an independent implementation (subiz/vietqr, Go).
        (
            dict(bank_bin="970422", account="0023457923442", amount=40123, message="test text string"),
            "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
            "53037045405401235802VN62200816test text string6304D9C6",
        ),
        (
            dict(bank_bin="970422", account="0023457923442", amount=40123, message="chuyển khoản"),
            "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
            "53037045405401235802VN62160812chuyen khoan6304722F",
        ),
        (
            dict(bank_bin="970415", account="0011001932418", amount=120000, message="ủng hộ lũ lụt"),
            "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
            "530370454061200005802VN62170813ung ho lu lut6304C15C",
        ),
    ],
)
def test_matches_published_vectors(args, expected):
    assert payload(**args) == expected


def test_sample_payload_field_by_field():
    text = make()
    assert text == (
        "000201"
        "010212"
        "3857" "0010A000000727" "0127" "0006970436" "01130011001234567" "0208QRIBFTTA"
        "5303704"
        "5406350000"
        "5802VN"
        "6216" "0812DH2026000123"
        "6304" + crc16_ccitt(text[:-4])
    )
    fields = parse(text)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    assert fields["38"] == {
        "00": "A000000727",
        "01": {"00": "970436", "01": "0011001234567"},
        "02": "QRIBFTTA",
    }
    assert fields["53"] == "704"
    assert fields["54"] == "350000"
    assert fields["58"] == "VN"
    assert fields["62"] == {"08": "DH2026000123"}
    assert fields["63"] == text[-4:]
    assert text.isascii()


def test_largest_amount_and_longest_account_fit():
    fields = parse(make(amount=10**13 - 1, account="A" * 19))
    assert fields["54"] == "9" * 13
    assert fields["38"]["01"]["01"] == "A" * 19


# --- parse rejects damage ----------------------------------------------------------------------


def test_changed_digit_fails_crc():
    text = make()
    damaged = text.replace("350000", "950000")
    assert damaged != text
    with pytest.raises(ValueError, match="CRC"):
        parse(damaged)


def test_changed_crc_fails():
    text = make()
    last = "0" if text[-1] != "0" else "1"
    with pytest.raises(ValueError, match="CRC"):
        parse(text[:-1] + last)


@pytest.mark.parametrize("bad", ["", "000201", "0002016304"])
def test_missing_crc_field(bad):
    with pytest.raises(ValueError, match="6304"):
        parse(bad)


def test_bad_length_with_valid_crc():
    body = "000201" + "5499123" + "6304"  # field 54 claims 99 characters
    with pytest.raises(ValueError, match="length"):
        parse(body + crc16_ccitt(body))


def test_repeated_tag_with_valid_crc():
    body = "000201" + "5802VN" + "5802VN" + "6304"
    with pytest.raises(ValueError, match="twice"):
        parse(body + crc16_ccitt(body))


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [0, -5, 1.5, 350000.0, True, "350000", None, 10**13])
def test_bad_amount(amount):
    with pytest.raises(ValueError, match="amount"):
        make(amount=amount)


@pytest.mark.parametrize("bank_bin", ["97043", "9704361", "97O436", "", 970436, "９７０４３６"])
def test_bad_bank_bin(bank_bin):
    with pytest.raises(ValueError, match="bank_bin"):
        make(bank_bin=bank_bin)


@pytest.mark.parametrize("account", ["0011 001234567", "", "1" * 20, "001-100", "tàikhoản", None])
def test_bad_account(account):
    with pytest.raises(ValueError, match="account"):
        make(account=account)


@pytest.mark.parametrize("message", ["", "   ", "---", "Đơn hàng số DH-2026-000123 của chị Lan"])
def test_bad_message(message):
    with pytest.raises(ValueError, match="message"):
        make(message=message)


# --- message folding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, folded",
    [
        ("Thanh toán đơn", "Thanh toan don"),
        ("ĐƠN HÀNG Đắk Lắk", "DON HANG Dak Lak"),
        ("  Mua   vải\tthiều ", "Mua vai thieu"),
        ("DH-2026-000123!", "DH2026000123"),
        ("Cà phê (Buôn Ma Thuột)", "Ca phe Buon Ma Thuot"),
    ],
)
def test_message_is_folded(message, folded):
    assert parse(make(message=message))["62"]["08"] == folded


# --- drawing -----------------------------------------------------------------------------------


def test_svg_is_inline_markup():
    drawing = svg(make())
    assert drawing.startswith("<svg ")
    assert drawing.rstrip().endswith("</svg>")
    assert "<?xml" not in drawing
    assert 'role="img"' in drawing
    assert "<title>Mã VietQR chuyển khoản</title>" in drawing
    assert 'stroke="#000"' in drawing and 'fill="#fff"' in drawing


def test_svg_escapes_title_and_rejects_non_vietqr():
    assert "<title>A &amp; B &lt;x&gt;</title>" in svg(make(), title="A & B <x>")
    with pytest.raises(ValueError):
        svg("https://example.com/")
