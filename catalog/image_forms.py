"""The Wagtail image upload form of the project (WAGTAILIMAGES_IMAGE_FORM_BASE).

Wagtail names the format it found inside a file whose extension does not match ("… khớp với định
dạng thật (png)"): right for a PNG renamed .jpg, misleading for a web page renamed .jpg, which
Willow reads as SVG, a format this site does not take. A file whose content is not one of the
accepted image formats is simply "not an image".
"""

import os

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class ImageField(WagtailImageField):
    def check_image_file_format(self, f):
        extension = os.path.splitext(f.name)[1].lower()[1:]
        accepted = {"jpeg" if e == "jpg" else e for e in self.allowed_image_extensions}
        if extension in self.allowed_image_extensions and f.image.format_name not in accepted:
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image")
        super().check_image_file_format(f)


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.fields.get("file"), WagtailImageField):
            # The field Wagtail built (with today's size and format settings), with our format check.
            self.fields["file"].__class__ = ImageField
