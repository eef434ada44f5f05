"""NAPAS VietQR strings for bank transfers (EMVCo merchant-presented QR) and their drawing.

A VietQR string is a run of TLV fields, each "ID (2 digits) + LENGTH (2 digits) + VALUE":

    00 "01"                      payload format indicator
    01 "12"                      point of initiation: dynamic QR (one payment, amount set)
    38 merchant account          nested: 00 GUID "A000000727" (NAPAS),
                                         01 beneficiary, nested: 00 bank BIN, 01 account number,
                                         02 service code "QRIBFTTA" (transfer to an account)
    53 "704"                     currency: VND
    54 amount                    whole đồng, digits only
    58 "VN"                      country
    62 additional data           nested: 08 purpose of transaction (the transfer message)
    63 CRC                       CRC-16/CCITT-FALSE over everything up to and including "6304"

Messages are folded to what banks accept (ASCII letters, digits and spaces, at most 25), so
"Thanh toán đơn DH-2026-1" becomes "Thanh toan don DH20261".
"""

import binascii
import re

import segno

from catalog.text import strip_diacritics

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
MESSAGE_MAX = 25

_BIN_RE = re.compile(r"[0-9]{6}")
_ACCOUNT_RE = re.compile(r"[A-Za-z0-9]{1,19}")
_NESTED = {"38", "62"}  # templates whose value is itself TLV
_NESTED_IN_38 = {"01"}  # the beneficiary inside 38


def crc16_ccitt(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xorout) as 4 uppercase hex:
    the standard library's `binascii.crc_hqx` with 0xFFFF as the initial value."""
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def _tlv(tag: str, value: str) -> str:
    if not 1 <= len(value) <= 99:
        raise ValueError(f"VietQR field {tag} must be 1-99 characters, got {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def _fold_message(message: str) -> str:
    """Strip Vietnamese diacritics (keeping case); keep A-Z a-z 0-9 and single spaces."""
    text = re.sub(r"[^A-Za-z0-9 ]", "", re.sub(r"\s", " ", strip_diacritics(message)))
    return " ".join(text.split())


def payload(*, bank_bin: str, account: str, amount: int, message: str) -> str:
    """The VietQR string asking for a transfer of `amount` đồng to `account` at bank `bank_bin`.

    `message` becomes the transfer content, folded to ASCII ("đơn" → "don", "-" dropped).
    Raises ValueError on bad input; these are programming or configuration mistakes.
    """
    if not isinstance(bank_bin, str) or not _BIN_RE.fullmatch(bank_bin):
        raise ValueError(f"bank_bin must be the 6-digit NAPAS BIN of the bank, got {bank_bin!r}")
    if not isinstance(account, str) or not _ACCOUNT_RE.fullmatch(account):
        raise ValueError(f"account must be 1-19 ASCII letters or digits, got {account!r}")
    if type(amount) is not int or amount <= 0:
        raise ValueError(f"amount must be a positive int of đồng, got {amount!r}")
    if amount >= 10**13:
        raise ValueError(f"amount must have at most 13 digits, got {amount}")
    if not isinstance(message, str):
        raise ValueError(f"message must be a str, got {message!r}")
    folded = _fold_message(message)
    if not folded:
        raise ValueError(f"message has no characters banks accept: {message!r}")
    if len(folded) > MESSAGE_MAX:
        raise ValueError(f"message must fold to at most {MESSAGE_MAX} characters, got {folded!r}")

    beneficiary = _tlv("00", bank_bin) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    body = (
        _tlv("00", "01")
        + _tlv("01", "12")
        + _tlv("38", merchant)
        + _tlv("53", CURRENCY_VND)
        + _tlv("54", str(amount))
        + _tlv("58", COUNTRY_VN)
        + _tlv("62", _tlv("08", folded))
        + "6304"
    )
    return body + crc16_ccitt(body)


def _split(data: str, nested: set[str] = frozenset()) -> dict:
    """Split TLV `data` into {tag: value}; values of tags in `nested` are split again."""
    fields, pos = {}, 0
    while pos < len(data):
        head = data[pos : pos + 4]
        if len(head) < 4 or not head.isascii() or not head.isdigit():
            raise ValueError(f"bad VietQR field header {head!r} at position {pos}")
        tag, length = head[:2], int(head[2:])
        value = data[pos + 4 : pos + 4 + length]
        if length == 0 or len(value) != length:
            raise ValueError(f"VietQR field {tag} at position {pos} has a bad length {length}")
        if tag in fields:
            raise ValueError(f"VietQR field {tag} appears twice")
        fields[tag] = value
        pos += 4 + length
    for tag in nested & fields.keys():
        fields[tag] = _split(fields[tag], _NESTED_IN_38 if tag == "38" else set())
    return fields


def parse(payload: str) -> dict:
    """Split a VietQR string into {tag: value}, with 38 (and its 01) and 62 as nested dicts.

    Raises ValueError if the CRC (field 63, which must come last) does not match or a length
    is wrong.
    """
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise ValueError("VietQR string must end with the CRC field 6304XXXX")
    expected = crc16_ccitt(payload[:-4])
    if payload[-4:].upper() != expected:
        raise ValueError(f"VietQR CRC mismatch: string says {payload[-4:]}, computed {expected}")
    return _split(payload, _NESTED)


def svg(payload: str, *, scale: int = 6, title: str = "Mã VietQR chuyển khoản") -> str:
    """The QR code of `payload` as inline SVG (no XML declaration), for a template with |safe.

    Error correction M (segno raises it when that fits in the same size), border 4.
    Raises ValueError if `payload` is not a valid VietQR string.
    """
    parse(payload)
    qr = segno.make_qr(payload, error="m")
    drawing = qr.svg_inline(
        scale=scale, border=4, dark="#000", light="#fff", title=title, svgclass="vietqr"
    )
    return drawing.replace("<svg ", '<svg role="img" ', 1)
