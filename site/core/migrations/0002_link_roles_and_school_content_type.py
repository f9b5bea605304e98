from django.db import migrations

# The groups the first version created by name, now tied to their role codes.
GROUP_NAMES = {
    "teacher": "教师",
    "reviewer": "教研组长",
    "student": "学生",
    "lab_staff": "实验室管理员",
    "city_coordinator": "市级统筹员",
    "judge": "评委",
    "organiser": "创客节组织者",
}


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleGroup = apps.get_model("core", "RoleGroup")
    for code, name in GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        RoleGroup.objects.get_or_create(code=code, defaults={"group": group})
    # The school's permissions and audit entries follow the model into the core.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="school").exists():
        ContentType.objects.filter(app_label="kits", model="school").update(app_label="core")


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="kits", model="school").exists():
        ContentType.objects.filter(app_label="core", model="school").update(app_label="kits")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("kits", "0006_school_moved_to_core"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
