from decimal import Decimal

import django.core.validators
from django.db import migrations, models


def per_school(apps, schema_editor):
    """The 创客实践室 programme caps a school's grants together (up to 100万元 per school)."""
    apps.get_model("kits", "FundingProgramme").objects.filter(slug="maker-room").update(cap_applies="school")


class Migration(migrations.Migration):
    dependencies = [("kits", "0006_school_moved_to_core")]

    operations = [
        migrations.AddField(
            model_name="fundingprogramme",
            name="cap_applies",
            field=models.CharField(
                choices=[("school", "per school"), ("grant", "per grant")],
                default="grant",
                help_text="Per school: the approved amounts of a school's grants of this programme add up to at most the cap.",
                max_length=6,
                verbose_name="the cap applies",
            ),
        ),
        migrations.AlterField(
            model_name="fundingprogramme",
            name="cap",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=12,
                validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                verbose_name="cap (CNY)",
            ),
        ),
        migrations.AddField(
            model_name="grant",
            name="requested_amount",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="amount applied for (CNY)"
            ),
        ),
        migrations.AlterField(
            model_name="grant",
            name="approved_amount",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0.00"), max_digits=12, verbose_name="approved amount (CNY)"
            ),
        ),
        migrations.RunPython(per_school, migrations.RunPython.noop),
    ]
