"""The lab staff's admin: one Maker room menu holding their screens, a home panel with the same
screens, a grant bar with an accessible name; a teacher without a maker room is told so."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from makerroom.core import roles

pytestmark = pytest.mark.django_db


def _menu(html):
    start = html.index('id="wagtail-sidebar-props"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def test_lab_staff_have_one_maker_room_menu_and_their_screens_on_the_home_page(client, labstaff, grant):
    client.force_login(labstaff)
    home = client.get("/admin/")
    html = home.content.decode()
    assert home.status_code == 200
    assert "Lab reports" not in html and "实验室报表" not in html
    panel = html[html.index('data-testid="kits-home-panel"') :]
    for url in ("/admin/kits/dashboard/", "/admin/kits/loans/", "/admin/kits/import/", "/admin/flash/batch/"):
        assert url in panel  # batch flashing comes from the firmware app's menu item
    assert "/admin/kits/city/" not in panel  # city-wide report: not for one school's staff
    menu = json.dumps(_menu(html), ensure_ascii=False)
    assert menu.count("/admin/kits/dashboard/") == 1 and "/admin/snippets/kits/purchase/" in menu
    assert menu.count("/admin/flash/batch/") == 1


def test_the_grant_bar_has_an_accessible_name(client, labstaff, grant):
    client.force_login(labstaff)
    html = client.get("/admin/kits/dashboard/").content.decode()
    bar = html[html.index('role="progressbar"') :][:300]
    assert 'aria-label="' in bar and grant.programme.name in bar


def test_book_kits_tells_a_teacher_without_a_maker_room_instead_of_a_404(client, make_user, other_school):
    teacher = make_user("zhao", role=roles.Role.TEACHER, school=other_school)
    client.force_login(teacher)
    page = client.get(reverse("kits:reservations"))
    assert page.status_code == 200
    assert 'data-testid="no-maker-room"' in page.content.decode()


def test_kits_labels_do_not_relabel_wagtails_own_strings():
    """The catalogue's 编码 for "slug" (and its port, started at, finished at, Created) carry a
    context, so Wagtail's page slug field and its own columns keep their wording."""
    from django.utils import translation
    from django.utils.translation import gettext

    from kits.models import FlashRecord, Stocktake, ToolType

    with translation.override("zh-hans"):
        assert str(ToolType._meta.get_field("slug").verbose_name) == "编码"
        assert str(FlashRecord._meta.get_field("port").verbose_name) == "串口"
        assert str(Stocktake._meta.get_field("started_at").verbose_name) == "开始时间"
        assert gettext("slug") != "编码"  # Wagtail's page slug field keeps its own label
    po = (Path(__file__).resolve().parents[2] / "kits/locale/zh_Hans/LC_MESSAGES/django.po").read_text()
    for msgid in ("slug", "port", "started at", "finished at", "Created"):
        assert f'\n\nmsgid "{msgid}"\n' not in po  # only with a msgctxt line before it
