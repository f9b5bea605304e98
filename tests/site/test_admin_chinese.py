"""The Wagtail admin speaks Chinese: our catalogue neither shadows Wagtail's own strings nor leaves
the English fragments Wagtail's zh_Hans catalogue lacks (site/home/wagtail_strings.py)."""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from makerroom.core.roles import Role
from wagtail.models import GroupPagePermission, Workflow

pytestmark = pytest.mark.django_db


def _menu_labels(html):
    """The labels of the admin sidebar menu (Wagtail renders it from JSON props)."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    text = json.loads(props.group(1)) if props else html
    return json.dumps(text, ensure_ascii=False)


def test_the_admin_menu_says_pages_not_pagination(admin_client):
    html = admin_client.get("/admin/").content.decode()
    labels = _menu_labels(html)
    assert '"页面"' in labels
    assert "分页" not in labels


def test_our_pagination_keeps_its_own_words(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.utils import translation

    page_obj = Paginator(list(range(30)), 10).page(2)
    with translation.override("zh-hans"):
        html = render_to_string("includes/pagination.html", {"page_obj": page_obj})
    assert 'aria-label="分页"' in html and "上一页" in html and "下一页" in html


def test_the_block_editor_strings_are_chinese(client, make_user):
    client.force_login(make_user("li", role=Role.TEACHER))
    js = client.get("/admin/jsi18n/").content.decode("unicode_escape")
    assert "插入区块" in js  # "Insert a block"
    assert "修改已自动保存。" in js


@pytest.fixture
def page_in_moderation(home_page, django_user_model):
    from makerroom.home.models import ContentPage

    page = ContentPage(title="创客活动通知", slug="notice")
    home_page.add_child(instance=page)
    author = django_user_model.objects.create_superuser("root", password="pass-w0rd-123")
    revision = page.save_revision(user=author)
    workflow = Workflow.objects.get(name="网站审核员审批")  # Wagtail's default, named in Chinese (core 0004)
    workflow.start(page, author)
    assert revision.pk
    return page


def test_a_page_awaiting_moderation_says_so_in_chinese(client, make_user, home_page, page_in_moderation):
    editors = Group.objects.create(name="编辑")
    GroupPagePermission.objects.create(
        group=editors, page=home_page, permission=Permission.objects.get(codename="change_page")
    )
    teacher = make_user("li", role=Role.TEACHER)
    teacher.groups.add(editors)
    client.force_login(teacher)
    html = client.get(f"/admin/pages/{page_in_moderation.pk}/edit/").content.decode()
    assert "正在等待审核。" in html
    assert "只有此任务的审核人可以编辑" in html
    assert "awaiting moderation" not in html
    assert "Only reviewers" not in html


def test_no_english_fragments_on_common_admin_pages(client, make_user, home_page):
    """A few phrases seen in English on the Chinese admin before (Wagtail had no translation)."""
    client.force_login(make_user("li", role=Role.TEACHER))
    for url in ("/admin/", f"/admin/pages/{home_page.pk}/", "/admin/pages/search/"):
        html = client.get(url).content.decode()
        for english in ("Insert a block", "awaiting moderation", "Go to the first error", "Page type"):
            assert english not in html, (url, english)


def test_wagtails_default_groups_and_workflow_have_chinese_names(db):
    from wagtail.models import Task

    names = set(Group.objects.values_list("name", flat=True))
    assert {"网站编辑", "网站审核员"} <= names and not {"Editors", "Moderators"} & names
    assert Workflow.objects.filter(name="网站审核员审批").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
