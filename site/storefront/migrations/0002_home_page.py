"""Replace Wagtail's welcome page with our home page, as the project template does."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("storefront.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="storefront")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="OCOP Việt Nam",
        draft_title="OCOP Việt Nam",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=locale.pk,
        hero_title="Sản phẩm OCOP – Mỗi xã một sản phẩm",
        hero_text="Đặc sản được công nhận 3 đến 5 sao từ khắp các tỉnh thành, mua trực tiếp từ hợp tác xã và hộ sản xuất.",
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page_id": home.pk, "port": 80}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("storefront", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
