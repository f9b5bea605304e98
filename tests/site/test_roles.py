import pytest
from django.contrib.auth.models import Group
from makerroom.accounts import roles
from makerroom.accounts.roles import declared_role_permissions

pytestmark = pytest.mark.django_db


def _perms(group_name):
    group = Group.objects.get(name=group_name)
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())


def test_every_role_exists_as_a_group():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"教师", "学生", "实验室管理员", "评委", "创客节组织者"} <= names


def test_each_role_has_exactly_the_declared_permissions():
    declared = declared_role_permissions()
    for role in roles.BASE_ROLES:
        assert _perms(role) == declared[role], role


def test_role_permission_listing():
    """The list a reviewer reads: what each role may do."""
    declared = declared_role_permissions()
    assert "wagtailadmin.access_admin" in declared[roles.TEACHER]
    assert "wagtailadmin.access_admin" in declared[roles.LAB_STAFF]
    assert "wagtailadmin.access_admin" in declared[roles.ORGANISER]
    # Students and judges work on the public site only, never in the CMS admin.
    assert "wagtailadmin.access_admin" not in declared[roles.STUDENT]
    assert "wagtailadmin.access_admin" not in declared[roles.JUDGE]


def test_student_cannot_open_the_admin(client, make_user):
    make_user("pupil", role=roles.STUDENT)
    client.login(username="pupil", password="pass-w0rd-123")
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_teacher_can_open_the_admin(client, make_user):
    make_user("li", role=roles.TEACHER)
    client.login(username="li", password="pass-w0rd-123")
    assert client.get("/admin/").status_code == 200


def test_admin_is_chinese_by_default(client, admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert 'lang="zh-hans"' in html
