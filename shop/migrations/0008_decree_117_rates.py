"""The withholding rates of Decree 117/2025/NĐ-CP for goods, in force from 1 July 2025 (editable
data: a later change is a new row from its date)."""

import datetime

from django.db import migrations

RATES = [("gtgt", 100), ("tncn", 50)]  # 1 % VAT, 0.5 % personal income tax
BASIS = "Nghị định 117/2025/NĐ-CP, hàng hoá"


def add_rates(apps, schema_editor):
    TaxRate = apps.get_model("shop", "TaxRate")
    for tax, basis_points in RATES:
        TaxRate.objects.get_or_create(tax=tax, valid_from=datetime.date(2025, 7, 1),
                                      defaults={"basis_points": basis_points, "legal_basis": BASIS})


class Migration(migrations.Migration):
    dependencies = [("shop", "0007_ledger_payouts_returns")]
    operations = [migrations.RunPython(add_rates, migrations.RunPython.noop)]
