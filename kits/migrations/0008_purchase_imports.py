import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("kits", "0007_cap_per_school"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PurchaseImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the file")),
                ("filename", models.CharField(max_length=200, verbose_name="file name")),
                ("rows", models.PositiveIntegerField(verbose_name="rows")),
                (
                    "total_cost",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="total cost (CNY)"),
                ),
                (
                    "subsidy",
                    models.DecimalField(
                        decimal_places=2, max_digits=14, verbose_name="subsidy charged (CNY)"
                    ),
                ),
                (
                    "imported_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="imported at"),
                ),
                (
                    "grant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="imports",
                        to="kits.grant",
                        verbose_name="grant",
                    ),
                ),
                (
                    "imported_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="imported by",
                    ),
                ),
                (
                    "school",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.school",
                        verbose_name="school",
                    ),
                ),
            ],
            options={
                "verbose_name": "purchase import",
                "verbose_name_plural": "purchase imports",
                "ordering": ["-imported_at"],
                "constraints": [
                    models.UniqueConstraint(fields=("school", "sha256"), name="kits_import_once_per_school")
                ],
            },
        ),
    ]
