from django.db import migrations


def create_months(apps, schema_editor):
    Month = apps.get_model("catalog", "Month")
    Month.objects.bulk_create([Month(number=n) for n in range(1, 13)], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create_months, migrations.RunPython.noop)]
