"""With S3_BUCKET set, uploads and renditions live in the S3-compatible bucket and browsers fetch them from there.

The server is real: moto's server mode, started by .ci/s3.sh (`eval "$(bash .ci/s3.sh)"`). Without S3_BUCKET, or
with no server answering, these tests skip; with REQUIRE_SERVICES=1 they fail instead.
"""

import io
import re
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.conftest import require_service
from tests.factories import add_image, make_image, make_product

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def s3_options() -> dict:
    return settings.STORAGES["default"].get("OPTIONS", {})


def s3_client():
    """A client of our own, so the tests look at the bucket independently of django-storages."""
    options = s3_options()
    return boto3.client("s3", endpoint_url=options["endpoint_url"], region_name=options["region_name"],
                        aws_access_key_id=options["access_key"], aws_secret_access_key=options["secret_key"])


def s3_missing() -> str:
    """Why the bucket cannot be used, or "" when it can."""
    if not settings.S3_BUCKET:
        return 'S3_BUCKET is not set (start a local server with: eval "$(bash .ci/s3.sh)")'
    try:
        s3_client().head_bucket(Bucket=settings.S3_BUCKET)
        return ""
    except Exception as error:  # noqa: BLE001 - refused connection, missing bucket, bad keys: all mean "not usable"
        return f"bucket {settings.S3_BUCKET} on {s3_options()['endpoint_url'] or 'AWS'} is not answering: {error}"


@pytest.fixture
def bucket():
    missing = s3_missing()
    require_service(not missing, missing)
    return settings.S3_BUCKET


def public_base() -> str:
    """Where the bucket's objects are linked: the CDN domain if one is set, else the endpoint (path style)."""
    options = s3_options()
    if options["custom_domain"]:
        return f"https://{options['custom_domain']}/"
    return f"{options['endpoint_url'].rstrip('/')}/{settings.S3_BUCKET}/"


def in_bucket(key) -> bool:
    try:
        s3_client().head_object(Bucket=settings.S3_BUCKET, Key=key)
        return True
    except ClientError as error:
        if error.response["Error"]["Code"] in {"404", "NoSuchKey"}:
            return False
        raise


def fetch_anonymously(url):
    """What a browser gets: a plain GET with no credentials."""
    with urllib.request.urlopen(url, timeout=10) as reply:
        return reply.headers["Content-Type"], reply.read()


def jpeg_bytes(size=(640, 480)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_image_uploaded_in_the_admin_and_its_rendition_are_objects_in_the_bucket(bucket, admin_client):
    response = admin_client.post(reverse("wagtailimages:add"), {
        "title": "Ảnh lên S3", "file": SimpleUploadedFile("vai-thieu.jpg", jpeg_bytes(), content_type="image/jpeg"),
        "collection": Collection.get_first_root_node().pk,  # as the form's drop-down sends it, when there are several
    })
    assert response.status_code == 302, response.context and response.context["form"].errors
    image = get_image_model().objects.get(title="Ảnh lên S3")
    assert image.file.storage.__class__.__name__ == "S3Storage"
    assert in_bucket(image.file.name)
    assert s3_client().head_object(Bucket=bucket, Key=image.file.name)["ContentType"] == "image/jpeg"

    rendition = image.get_rendition("fill-480x360")
    assert in_bucket(rendition.file.name)
    listed = s3_client().list_objects_v2(Bucket=bucket, Prefix=rendition.file.name)["Contents"]
    assert [entry["Key"] for entry in listed] == [rendition.file.name]

    assert rendition.url == public_base() + rendition.file.name  # absolute and unsigned: no query string
    content_type, body = fetch_anonymously(rendition.url)
    assert content_type == "image/jpeg"
    assert PILImage.open(io.BytesIO(body)).size == (480, 360)


def test_a_product_page_links_its_images_on_the_s3_endpoint(bucket, client):
    product = make_product(title="Vải thiều trên S3")
    image = add_image(product).image
    html = client.get(product.url).content.decode()
    sources = set(re.findall(r'<img\b[^>]*\bsrc="([^"]+)"', html))
    rendered = {rendition.url for rendition in image.renditions.all()}
    assert rendered and rendered <= sources  # the gallery's renditions, made while rendering the page
    assert all(url.startswith(public_base()) for url in rendered)
    assert not any("/media/" in url for url in sources)
    for url in rendered:
        assert fetch_anonymously(url)[0] == "image/jpeg"


def test_deleting_an_image_removes_its_file_and_renditions_from_the_bucket(bucket, django_capture_on_commit_callbacks):
    """Wagtail deletes the files after the commit, in a task (immediate in tests) that runs django-storages' delete."""
    image = make_image(title="Ảnh sẽ xoá")
    keys = [image.file.name, image.get_rendition("fill-480x360").file.name]
    assert all(in_bucket(key) for key in keys)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert [key for key in keys if in_bucket(key)] == []
