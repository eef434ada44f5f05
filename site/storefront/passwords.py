"""Password validation that knows how Vietnamese people choose weak passwords (AUTH_PASSWORD_VALIDATORS).

Django's CommonPasswordValidator knows English passwords only: "matkhau123" ("password123") and
"anhyeuem" ("I love you") pass it. This validator refuses, on every form that sets a password
(sign-up, producer self-registration, invitations, reset):
- a password of spaces only;
- a mobile number (what many people type: their own);
- a common Vietnamese password or the shop's own name, whatever its accents, case, digits and
  symbols: "MatKhau@2026" is "matkhau" with decorations;
- a run of digits with a letter or two ("123456a@", "a123456").
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalog.text import fold

# Folded, letters only: what remains of the password once accents, digits and symbols are gone.
COMMON_WORDS = frozenset("""
matkhau pass password passwd abc abcd abcdef qwerty qwertyuiop asdfgh zxcvbn admin quantri
anhyeuem emyeuanh yeuem yeuanh iloveyou loveyou tinhyeu yeu anh em emoi anhoi
vietnam hanoi saigon hochiminh danang haiphong cantho hue
ocop ocopviet ocopvietnam mxmsp moixamotsanpham sanpham cuahang shop
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly
""".split())
DIGITS_WITH_A_LETTER = re.compile(r"[a-z]{0,2}[0-9]{4,}[a-z]{0,2}")
MOBILE = re.compile(r"(\+?84|0)[35789][0-9]{8}")


def is_weak(password: str) -> bool:
    if not password.strip():
        return True
    compact = re.sub(r"[\s.\-()]", "", password)
    if MOBILE.fullmatch(compact):
        return True
    folded = fold(password)
    letters = re.sub(r"[^a-z]", "", folded)
    if letters in COMMON_WORDS or (not letters and compact.isdigit()):
        return True
    return bool(DIGITS_WITH_A_LETTER.fullmatch(re.sub(r"[^a-z0-9]", "", folded)))


class VietnameseCommonPasswordValidator:
    def validate(self, password, user=None):
        if is_weak(password):
            raise ValidationError(
                _("Mật khẩu này quá dễ đoán (khoảng trắng, số điện thoại, dãy số hoặc một mật khẩu phổ biến như "
                  "“matkhau123”). Hãy dùng một cụm từ dài hơn, khó đoán hơn."),
                code="password_too_common_vi",
            )

    def get_help_text(self):
        return _("Mật khẩu không được là số điện thoại, dãy số hay mật khẩu phổ biến như “matkhau123”.")
