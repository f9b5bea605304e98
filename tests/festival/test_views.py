"""Permission matrix: every festival view for anonymous, students (own team / other team), the mentor,
judges (assigned / not assigned / conflicted), an organiser and a superuser."""

import pytest
from django.urls import reverse

from festival import judging, services
from festival.models import Assignment, EntryState

from .conftest import make_entry, png_upload

pytestmark = pytest.mark.django_db

ALL = [
    "anonymous",
    "own",
    "other",
    "mentor",
    "judge_assigned",
    "judge_free",
    "judge_conflicted",
    "organiser",
    "superuser",
]


@pytest.fixture
def scene(edition, people, judges, django_user_model, make_user):
    entry = make_entry(edition, people, state=EntryState.ACCEPTED)
    other = make_entry(
        edition, people, students=("s3",), mentor="mentor_b", title="校园气象站", state=EntryState.ACCEPTED
    )
    draft = make_entry(edition, people, title="草稿作品")
    judging.compute_assignment(edition)
    assigned = Assignment.objects.filter(entry=entry).select_related("judge__user").first()
    superuser = django_user_model.objects.create_superuser("root", password="pass-w0rd-123")
    users = {
        "anonymous": None,
        "own": people["s1"],
        "other": people["s3"],
        "mentor": people["mentor"],
        "judge_assigned": assigned.judge.user,
        "judge_free": _unassigned_judge(edition, make_user),
        "judge_conflicted": people["judge_a"],
        "organiser": people["organiser"],
        "superuser": superuser,
    }
    return {
        "edition": edition,
        "entry": entry,
        "other": other,
        "draft": draft,
        "assignment": assigned,
        "users": users,
    }


def _unassigned_judge(edition, make_user):
    """A judge invited after the assignment was computed: assigned nothing."""
    from makerroom.core import roles

    from festival.models import Judge

    user = make_user("judge_free", role=roles.Role.JUDGE, display_name="评委戊")
    Judge.objects.create(edition=edition, user=user)
    return user


def _status(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


def _matrix(client, scene, url, method="get", data=None):
    return {who: _status(client, user, url, method, data) for who, user in scene["users"].items()}


def test_entry_page(client, scene):
    url = reverse("festival:entry", args=[scene["entry"].pk])
    assert _matrix(client, scene, url) == {
        "anonymous": 302,
        "own": 200,
        "other": 403,
        "mentor": 200,
        "judge_assigned": 403,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 200,
        "superuser": 200,
    }


def test_edit_draft(client, scene):
    url = reverse("festival:entry_edit", args=[scene["draft"].pk])
    # the mentor sees the entry but does not edit it: refused, with the reason on the site's 403 page
    assert _matrix(client, scene, url) == {
        "anonymous": 302,
        "own": 200,
        "other": 403,
        "mentor": 403,
        "judge_assigned": 403,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 200,
        "superuser": 200,
    }


def test_register_entry_page(client, scene):
    """Entries are registered by students of a school; organisers change them afterwards."""
    url = reverse("festival:entry_create", args=[scene["edition"].pk])
    assert _matrix(client, scene, url) == {
        "anonymous": 302,
        "own": 200,
        "other": 200,
        "mentor": 403,
        "judge_assigned": 403,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 403,
        "superuser": 403,
    }


@pytest.mark.parametrize("opens, closes", [(1, 10), (-30, -1)])
def test_register_outside_the_dates_is_refused_with_a_message(client, scene, opens, closes):
    from datetime import timedelta

    from django.utils import timezone

    edition = scene["edition"]
    edition.registration_opens = timezone.now() + timedelta(days=opens)
    edition.registration_closes = timezone.now() + timedelta(days=closes)
    edition.save()
    client.force_login(scene["users"]["own"])
    page = client.get(reverse("festival:entry_create", args=[edition.pk]), follow=True)
    assert page.redirect_chain[0] == (edition.url, 302)
    shown = [str(m) for m in page.context["messages"]]
    assert shown == [
        "Registration has not opened yet."
        if opens > 0
        else f"Registration closed on {_local(edition.registration_closes)}."
    ]
    assert "Register an entry" not in page.content.decode()


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def test_register_button_only_for_students(client, scene):
    edition = scene["edition"]
    create = f"/judging/editions/{edition.pk}/enter/"  # the page is in Chinese, without the /en/ prefix
    for who, shown in [("own", True), ("mentor", False), ("judge_free", False), ("anonymous", False)]:
        client.logout()
        if scene["users"][who]:
            client.force_login(scene["users"][who])
        assert (create in client.get(edition.url).content.decode()) is shown, who


def test_scoring_screen(client, scene):
    url = reverse("festival:score", args=[scene["assignment"].pk])
    assert _matrix(client, scene, url) == {
        "anonymous": 302,
        "own": 403,
        "other": 403,
        "mentor": 403,
        "judge_assigned": 200,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 403,
        "superuser": 403,
    }


def test_judge_home(client, scene):
    matrix = _matrix(client, scene, reverse("festival:judge_home"))
    assert matrix == {
        "anonymous": 302,
        "own": 403,
        "other": 403,
        "mentor": 403,
        "judge_assigned": 200,
        "judge_free": 200,
        "judge_conflicted": 200,
        "organiser": 403,
        "superuser": 403,
    }


@pytest.mark.parametrize("name", ["organise", "assignments", "results"])
def test_organiser_pages(client, scene, name):
    url = reverse(f"festival:{name}", args=[scene["edition"].pk])
    assert _matrix(client, scene, url) == {
        "anonymous": 302,
        "own": 403,
        "other": 403,
        "mentor": 403,
        "judge_assigned": 403,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 200,
        "superuser": 200,
    }


def test_actions_by_role(client, scene):
    url = reverse("festival:entry_action", args=[scene["other"].pk])
    matrix = _matrix(client, scene, url, "post", {"action": "disqualify", "comment": "测试"})
    assert matrix["anonymous"] == 302 and matrix["own"] == 403 and matrix["judge_assigned"] == 403
    assert matrix["mentor"] == 403  # mentor of another team
    assert matrix["organiser"] == 302  # done, back to the entry page
    scene["other"].refresh_from_db()
    assert scene["other"].state == EntryState.DISQUALIFIED


def test_photo_upload_matrix(client, scene, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = scene["draft"]  # editable by its team until the deadline
    url = reverse("festival:photo_add", args=[draft.pk])
    before = draft.photos.count()
    matrix = {}
    for who, user in scene["users"].items():
        client.logout()
        if user is not None:
            client.force_login(user)
        data = {"image": png_upload(), "alt_text": f"{who} 的照片"}
        matrix[who] = client.post(url, data).status_code
    assert matrix == {
        "anonymous": 302,  # to the login page
        "own": 302,
        "other": 403,
        "mentor": 403,  # the mentor reviews; the team edits
        "judge_assigned": 403,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 302,
        "superuser": 302,
    }
    added = set(draft.photos.values_list("alt_text", flat=True)[before:])
    assert added == {"own 的照片", "organiser 的照片", "superuser 的照片"}


def test_photo_delete_matrix(client, scene, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft, organiser = scene["draft"], scene["users"]["organiser"]
    matrix, kept = {}, {}
    for who, user in scene["users"].items():
        photo = services.add_photo(draft, png_upload(), user=organiser, alt_text=who, shows_people=False)
        client.logout()
        if user is not None:
            client.force_login(user)
        matrix[who] = client.post(reverse("festival:photo_delete", args=[draft.pk, photo.pk])).status_code
        kept[who] = draft.photos.filter(pk=photo.pk).exists()
    assert matrix == {
        "anonymous": 302,
        "own": 302,
        "other": 403,
        "mentor": 403,
        "judge_assigned": 403,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 302,
        "superuser": 302,
    }
    assert {who for who, there in kept.items() if not there} == {"own", "organiser", "superuser"}


def test_organiser_edit_keeps_the_whole_team(client, scene, people):
    draft = scene["draft"]
    client.force_login(people["organiser"])
    url = reverse("festival:entry_edit", args=[draft.pk])
    form = client.get(url).context["form"]
    assert form.fields["teammates"].initial == [people["s2"].pk]  # the first member anchors the team
    data = {
        "title": "改过的标题",
        "category": draft.category_id,
        "age_group": draft.age_group_id,
        "mentor": draft.mentor_id,
        "description": draft.description,
        "licence": "MIT",
        "teammates": [people["s2"].pk],
    }
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改过的标题"
    assert sorted(m.student.username for m in draft.members.all()) == ["s1", "s2"]


def test_scoring_screen_closes_when_a_conflict_is_found(client, scene, schools):
    assignment = scene["assignment"]
    url = reverse("festival:score", args=[assignment.pk])
    assert _status(client, assignment.judge.user, url) == 200
    assignment.judge.linked_schools.add(scene["entry"].school)
    assert _status(client, assignment.judge.user, url) == 403


def test_photo_privacy(client, scene):
    entry = scene["entry"]
    people_photo = services.add_photo(
        entry, png_upload(), user=scene["users"]["organiser"], alt_text="合影", shows_people=True
    )
    plain = entry.photos.exclude(pk=people_photo.pk).first()
    plain_url = reverse("festival:photo", args=[plain.pk])
    people_url = reverse("festival:photo", args=[people_photo.pk])
    assert _status(client, None, plain_url) == 200
    matrix = _matrix(client, scene, people_url)
    assert matrix == {
        "anonymous": 404,
        "own": 200,
        "other": 404,
        "mentor": 200,
        "judge_assigned": 200,
        "judge_free": 404,
        "judge_conflicted": 404,
        "organiser": 200,
        "superuser": 200,
    }
    for member in entry.members.all():
        member.guardian_consent = True
        member.save()
    assert _status(client, None, people_url) == 200
    draft_photo = scene["draft"].photos.first()
    assert _status(client, None, reverse("festival:photo", args=[draft_photo.pk])) == 404


def test_consent_only_by_mentor_or_organiser(client, scene):
    member = scene["entry"].members.first()
    url = reverse("festival:consent", args=[scene["entry"].pk, member.pk])
    assert _status(client, scene["users"]["own"], url, "post", {"consent": "yes"}) == 403
    assert _status(client, scene["users"]["mentor"], url, "post", {"consent": "yes"}) == 302
    member.refresh_from_db()
    assert member.guardian_consent


def test_certificate_and_verification(client, scene):
    entry, edition = scene["entry"], scene["edition"]
    cert = reverse("festival:certificate", args=[entry.pk])
    verify = reverse("festival:verify", args=[entry.token])
    assert _status(client, scene["users"]["own"], cert) == 404  # not before results are published
    assert _status(client, None, verify) == 404
    judging.set_award(entry, edition.award_levels.first(), user=scene["users"]["organiser"])
    judging.publish_results(edition, user=scene["users"]["organiser"], override=True)
    assert _matrix(client, scene, cert) == {
        "anonymous": 302,
        "own": 200,
        "other": 403,
        "mentor": 200,
        "judge_assigned": 403,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 200,
        "superuser": 200,
    }
    client.force_login(scene["users"]["own"])
    pdf = client.get(cert)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"WenQuanYi" in pdf.content  # the CJK font is embedded
    text, qr = _read_certificate(pdf.content)
    assert "获奖证书" in text and "荣获 一等奖" in text and "《智能浇花器》" in text
    assert "小林、小雨" in text and "南山实验学校" in text and "李老师" in text and "建国" not in text
    assert qr == f"http://testserver{verify}"  # the QR code leads to the verification page
    client.logout()
    page = client.get(verify).content.decode()
    assert "一等奖" in page and "小林" in page and "建国" not in page


def test_gallery_is_public_and_shows_only_accepted(client, scene):
    html = client.get(reverse("festival:gallery")).content.decode()
    assert "智能浇花器" in html and "校园气象站" in html and "草稿作品" not in html
    assert client.get(reverse("festival:gallery_entry", args=[scene["draft"].pk])).status_code == 404
    assert client.get(reverse("festival:gallery_entry", args=[scene["entry"].pk])).status_code == 200
    # filters
    html = client.get(reverse("festival:gallery"), {"school": scene["other"].school_id}).content.decode()
    assert "校园气象站" in html and "智能浇花器" not in html


def test_an_edition_behind_a_login_or_password_stays_out_of_the_public_gallery(client, scene):
    from wagtail.models import PageViewRestriction

    entry = scene["entry"]
    photo_url = reverse("festival:photo", args=[entry.photos.first().pk])
    assert _status(client, None, photo_url) == 200
    PageViewRestriction.objects.create(
        page=scene["edition"], restriction_type="password", password="jury-2026"
    )
    html = client.get(reverse("festival:gallery")).content.decode()
    assert "智能浇花器" not in html and "校园气象站" not in html
    assert client.get(reverse("festival:gallery_entry", args=[entry.pk])).status_code == 404
    assert _status(client, None, photo_url) == 404
    # the team still sees its own photo
    assert _status(client, scene["users"]["own"], photo_url) == 200


def test_register_through_the_form_with_team_kits_and_errors_named(client, edition, people):
    from kits.models import KitTemplate

    kit = KitTemplate.objects.create(name="ESP32 入门套件")
    client.force_login(people["s1"])
    url = reverse("festival:entry_create", args=[edition.pk])
    data = {
        "title": "自动窗帘",
        "category": edition.categories.first().pk,
        "age_group": edition.age_groups.get(name="初中").pk,
        "mentor": people["mentor"].pk,
        "description": "天亮自动拉开窗帘。",
        "licence": "MIT",
        "teammates": [people["s2"].pk],
        "kit_templates": [kit.pk],
    }
    bad = client.post(url, {**data, "title": "", "video_url": "不是链接"})
    assert bad.status_code == 200
    assert bad.context["form"].errors.keys() >= {"title", "video_url"}
    response = client.post(url, data)
    assert response.status_code == 302
    entry = people["s1"].festival_entries.get(title="自动窗帘")
    assert list(entry.kit_templates.all()) == [kit]
    assert sorted(m.student.username for m in entry.members.all()) == ["s1", "s2"]
    assert entry.events.get().to_state == EntryState.DRAFT


def test_participation_certificate_for_entries_without_an_award(client, scene):
    edition, organiser = scene["edition"], scene["users"]["organiser"]
    judging.set_award(scene["other"], edition.award_levels.first(), user=organiser)
    judging.publish_results(edition, user=organiser, override=True)
    client.force_login(scene["users"]["own"])
    text, qr = _read_certificate(
        client.get(reverse("festival:certificate", args=[scene["entry"].pk])).content
    )
    assert "参与证书" in text and "获奖证书" not in text and "荣获" not in text
    assert qr.endswith(reverse("festival:verify", args=[scene["entry"].token]))


def _read_certificate(content):
    """The text of the PDF's page and the text of the QR code on it, read from the rendered page."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(content)
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    document.close()
    assert len(codes) == 1
    return text, codes[0].text
