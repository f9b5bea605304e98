"""School moved from kits into the core without touching the database (a state-only migration)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from makerroom.core.models import School, SchoolStage

from tests.factories import make_school

pytestmark = pytest.mark.django_db


def test_school_keeps_its_table():
    assert School._meta.db_table == "kits_school"
    assert "kits_school" in connection.introspection.table_names()


@pytest.mark.parametrize(
    "table,column",
    [
        ("accounts_user", "school_id"),
        ("courses_coursepage", "school_id"),
        ("classes_schoolclass", "school_id"),
        ("festival_entry", "school_id"),
        ("kits_makerroom", "school_id"),
        ("kits_kit", "school_id"),
    ],
)
def test_every_foreign_key_still_points_at_the_school_table(table, column):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    targets = [
        c["foreign_key"] for c in constraints.values() if c["foreign_key"] and c["columns"] == [column]
    ]
    assert targets and all(target[0] == "kits_school" for target in targets), constraints


def test_school_content_type_belongs_to_the_core():
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(School).app_label == "core"
    assert not ContentType.objects.filter(app_label="kits", model="school").exists()


def test_a_school_is_reachable_from_every_app():
    school = make_school("SZ-9001", "测试学校", stage=SchoolStage.PRIMARY)
    assert list(school.rooms.all()) == []
    assert list(school.users.all()) == []
    assert list(school.courses.all()) == []
    assert list(school.classes.all()) == []
    assert list(school.festival_entries.all()) == []
