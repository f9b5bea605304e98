from django.db import migrations

# The school stages of kits.SchoolStage, in order (小学 … 高校).
STAGES = ["primary", "junior", "senior", "vocational", "university"]


def add_stages(apps, schema_editor):
    Stage = apps.get_model("courses", "Stage")
    for order, slug in enumerate(STAGES):
        Stage.objects.get_or_create(slug=slug, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(add_stages, migrations.RunPython.noop)]
