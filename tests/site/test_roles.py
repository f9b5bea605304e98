import pytest
from django.contrib.auth.models import Group
from makerroom.core import roles
from makerroom.core.roles import declared_role_permissions

pytestmark = pytest.mark.django_db


def _perms(code):
    group = roles.role_group(code)
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())


def test_every_role_exists_as_a_group():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"教师", "学生", "实验室管理员", "评委", "创客节组织者", "教研组长", "市级统筹员"} <= names


def test_roles_are_found_by_code_not_by_group_name(make_user):
    """Renaming a group (it is only a label) changes nobody's rights."""
    user = make_user("li", role=roles.Role.TEACHER)
    group = roles.role_group(roles.Role.TEACHER)
    group.name = "Teachers"
    group.save()
    user = type(user).objects.get(pk=user.pk)
    assert roles.has_role(user, roles.Role.TEACHER)
    assert not roles.has_role(user, roles.Role.STUDENT)


def test_each_role_has_exactly_the_declared_permissions():
    declared = declared_role_permissions()
    for role in roles.Role:
        assert _perms(role) == declared[role], role


def test_role_permission_listing():
    """The list a reviewer reads: what each role may do."""
    declared = declared_role_permissions()
    assert "wagtailadmin.access_admin" in declared[roles.Role.TEACHER]
    assert "wagtailadmin.access_admin" in declared[roles.Role.LAB_STAFF]
    assert "wagtailadmin.access_admin" in declared[roles.Role.ORGANISER]
    # Students and judges work on the public site only, never in the CMS admin.
    assert "wagtailadmin.access_admin" not in declared[roles.Role.STUDENT]
    assert "wagtailadmin.access_admin" not in declared[roles.Role.JUDGE]


def test_student_cannot_open_the_admin(client, make_user):
    make_user("pupil", role=roles.Role.STUDENT)
    client.login(username="pupil", password="pass-w0rd-123")
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_teacher_can_open_the_admin(client, make_user):
    make_user("li", role=roles.Role.TEACHER)
    client.login(username="li", password="pass-w0rd-123")
    assert client.get("/admin/").status_code == 200


def test_admin_is_chinese_by_default(client, admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert 'lang="zh-hans"' in html
