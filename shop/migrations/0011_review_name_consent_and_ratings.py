from django.db import migrations, models
from django.db.models import Count, Sum


def forward(apps, schema_editor):
    """Reviews written before the name was asked for separately show no name; the products'
    published-review counts and totals start from the reviews there are."""
    Review = apps.get_model("shop", "Review")
    ProductPage = apps.get_model("catalog", "ProductPage")
    Review.objects.update(shows_name=False, display_name="")
    published = (Review.objects.filter(status="da-dang").values("product_id")
                 .annotate(count=Count("pk"), total=Sum("rating")).order_by())
    for row in published:
        ProductPage.objects.filter(pk=row["product_id"]).update(review_count=row["count"], review_stars_total=row["total"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0013_takedowns_and_ratings"),
        ("shop", "0010_data_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="shows_name",
            field=models.BooleanField(default=False, verbose_name="hiện tên cùng đánh giá"),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
