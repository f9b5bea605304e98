"""Wagtail's install makes two groups ("Editors", "Moderators") and a workflow with its task
("Moderators approval"). They are rows, not strings, so no catalogue translates them, and the
Chinese admin showed them in English (moderation banners, the user and workflow lists). This names
them in Chinese where they still have Wagtail's names; a renamed one is left alone."""

from django.db import migrations

NAMES = {
    "group": {"Editors": "网站编辑", "Moderators": "网站审核员"},
    "workflow": {"Moderators approval": "网站审核员审批"},
}


def to_chinese(apps, schema_editor, names=NAMES):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in names["group"].items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for old, new in names["workflow"].items():
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)


def to_english(apps, schema_editor):
    reverse = {kind: {new: old for old, new in pairs.items()} for kind, pairs in NAMES.items()}
    to_chinese(apps, schema_editor, reverse)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_jobs"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]
