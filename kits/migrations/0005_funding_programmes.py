from django.db import migrations


def load(apps, schema_editor):
    from kits.catalogue import sync_programmes

    sync_programmes(apps.get_model("kits", "FundingProgramme"))


class Migration(migrations.Migration):
    dependencies = [("kits", "0004_rooms_grants_kits_loans")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
