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
    from makerroom.accounts import roles

    from festival.models import Judge

    user = make_user("judge_free", role=roles.JUDGE, display_name="评委戊")
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
    # the mentor sees the entry but does not edit it: sent back to the entry page
    assert _matrix(client, scene, url) == {
        "anonymous": 302,
        "own": 200,
        "other": 403,
        "mentor": 302,
        "judge_assigned": 403,
        "judge_free": 403,
        "judge_conflicted": 403,
        "organiser": 200,
        "superuser": 200,
    }


def test_register_entry_page(client, scene):
    url = reverse("festival:entry_create", args=[scene["edition"].pk])
    matrix = _matrix(client, scene, url)
    assert matrix["anonymous"] == 302 and matrix["own"] == 200 and matrix["other"] == 200
    assert matrix["superuser"] == 403  # no school: nothing to register for


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
    judging.publish_results(edition, user=scene["users"]["organiser"])
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
