from django.db import migrations


def load_catalogue(apps, schema_editor):
    from kits.catalogue import sync_catalogue

    sync_catalogue(apps.get_model("kits", "ToolCategory"), apps.get_model("kits", "ToolType"))


class Migration(migrations.Migration):
    dependencies = [("kits", "0002_tool_catalogue")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
