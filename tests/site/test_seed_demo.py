import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def _snapshot():
    """Row counts of every table the demo touches, plus page titles and users."""
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Sessions, logs and the full-text index's internal storage are not demo data.
            if table.startswith("django_session") or "log" in table or "_fts" in table:
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    pages = sorted(Page.objects.values_list("locale__language_code", "url_path", "title"))
    users = sorted(get_user_model().objects.values_list("username", "display_name", "is_superuser"))
    return counts, pages, users


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = _snapshot()
    out = capsys.readouterr().out
    assert "admin" in out and "密码" in out
    call_command("seed_demo")
    second = _snapshot()
    changed = {t: (first[0][t], second[0].get(t)) for t in first[0] if first[0][t] != second[0].get(t)}
    assert changed == {}
    assert second[1:] == first[1:]


def test_seed_demo_creates_site_users_and_both_languages(client, settings):
    call_command("seed_demo")
    User = get_user_model()
    for username, role in [
        ("teacher", "教师"),
        ("student", "学生"),
        ("labstaff", "实验室管理员"),
        ("judge", "评委"),
        ("organiser", "创客节组织者"),
    ]:
        user = User.objects.get(username=username)
        assert user.groups.filter(name=role).exists()
        assert (user.school is None) == (username == "judge")  # the judge is from outside the schools
    assert User.objects.get(username="admin").is_superuser
    assert client.login(username="admin", password=settings.DEMO_PASSWORD)
    assert "创客实践室" in client.get("/").content.decode()
    assert "MakerRoom" in client.get("/en/").content.decode()
    assert "资助标准" in client.get("/about/").content.decode()


def test_the_printout_says_what_each_demo_account_does_and_where_it_starts(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username, duty, start in [
        ("admin", "平台管理员：", "/admin/"),
        ("teacher", "教师：在后台编写和发布课程", "/classes/"),
        ("student", "学生：", "/classes/my/"),
        ("labstaff", "实验室管理员：", "/admin/kits/dashboard/"),
        ("judge", "评委：", "/judging/score/"),
        ("organiser", "创客节组织者：", "/judging/entries/"),
        ("reviewer", "教研组长：", "/admin/"),
        ("coordinator", "市级统筹员：", "/admin/kits/city/"),
    ]:
        block = out.split(f"    {username} ", 1)[1].split("\n", 3)
        assert duty in block[0], username
        assert block[1].strip()[0].isascii(), username  # the English line
        assert block[2].strip() == f"→ http://127.0.0.1:8000{start}", (username, block[2])


def test_the_demo_judge_can_judge(client, settings):
    """The judge is from outside every entering school, so entries can be assigned to them."""
    from festival.models import Assignment, Entry

    call_command("seed_demo")
    judge = get_user_model().objects.get(username="judge")
    assert judge.school_id is None
    assert Assignment.objects.filter(judge__user=judge).exists()
    entering_schools = set(Entry.objects.values_list("school_id", flat=True))
    assert judge.school_id not in entering_schools
    assert client.login(username="judge", password=settings.DEMO_PASSWORD)
    response = client.get("/judging/score/")
    assert response.status_code == 200
