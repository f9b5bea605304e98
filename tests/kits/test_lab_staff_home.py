"""The lab staff's admin: one Maker room menu holding their screens, a home panel with the same
screens, a grant bar with an accessible name; a teacher without a maker room is told so."""

import json

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
    for url in ("/admin/kits/dashboard/", "/admin/kits/loans/", "/admin/kits/import/"):
        assert url in panel
    assert "/admin/kits/city/" not in panel  # city-wide report: not for one school's staff
    menu = json.dumps(_menu(html), ensure_ascii=False)
    assert menu.count("/admin/kits/dashboard/") == 1 and "/admin/snippets/kits/purchase/" in menu


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
