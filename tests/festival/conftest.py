"""An edition with two schools, students, mentors, judges and a rubric, built through the page tree."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from makerroom.core import roles
from makerroom.core.models import SchoolStage
from PIL import Image

from festival import services
from festival.models import (
    AgeGroup,
    AwardKind,
    AwardLevel,
    Category,
    Criterion,
    EntryState,
    FestivalEditionPage,
    FestivalIndexPage,
    Judge,
)
from tests.factories import make_school


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level tests match the English source messages (views run in the request's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def schools(db):
    a = make_school("SZ-T1", "南山实验学校", stage=SchoolStage.JUNIOR)
    b = make_school("SZ-T2", "福田外国语学校", stage=SchoolStage.JUNIOR)
    c = make_school("SZ-T3", "宝安中学", stage=SchoolStage.SENIOR)
    return a, b, c


def build_edition(home_page, *, closes_in=timedelta(days=10), slug="2026"):
    index = FestivalIndexPage.objects.child_of(home_page).first()
    if index is None:
        index = home_page.add_child(instance=FestivalIndexPage(title="创客节", slug="festival"))
    now = timezone.now()
    edition = FestivalEditionPage(
        title=f"{slug} 深圳学生创客节",
        slug=slug,
        year=int(slug),
        theme="创造让生活更美好",
        registration_opens=now - timedelta(days=30),
        registration_closes=now + closes_in,
        judging_starts=date(2026, 12, 1),
        judging_ends=date(2026, 12, 5),
        exhibition_starts=date(2026, 12, 10),
        exhibition_ends=date(2026, 12, 12),
        venue="深圳会展中心 1 号馆",
    )
    index.add_child(instance=edition)
    edition.save_revision().publish()
    Category.objects.create(edition=edition, name="智能硬件", sort_order=0)
    Category.objects.create(edition=edition, name="机器人", sort_order=1)
    AgeGroup.objects.create(
        edition=edition, name="初中", stage=SchoolStage.JUNIOR, min_grade=7, max_grade=9, sort_order=0
    )
    AgeGroup.objects.create(
        edition=edition, name="高中", stage=SchoolStage.SENIOR, min_grade=10, max_grade=12, sort_order=1
    )
    Criterion.objects.create(edition=edition, name="创新性", weight=Decimal("3"), sort_order=0)
    Criterion.objects.create(edition=edition, name="完成度", weight=Decimal("1"), sort_order=1)
    AwardLevel.objects.create(edition=edition, name="一等奖", quota=1, sort_order=0)
    AwardLevel.objects.create(edition=edition, name="二等奖", quota=1, sort_order=1)
    AwardLevel.objects.create(
        edition=edition, name="最佳创意奖", kind=AwardKind.SPECIAL, quota=1, sort_order=2
    )
    return FestivalEditionPage.objects.get(pk=edition.pk)


@pytest.fixture
def edition(home_page, schools):
    return build_edition(home_page)


@pytest.fixture
def people(make_user, schools):
    a, b, c = schools
    return {
        "s1": make_user("s1", role=roles.Role.STUDENT, school=a, display_name="小林"),
        "s2": make_user("s2", role=roles.Role.STUDENT, school=a, display_name="小雨"),
        "s3": make_user("s3", role=roles.Role.STUDENT, school=b, display_name="小刚"),
        "senior": make_user("senior", role=roles.Role.STUDENT, school=c, display_name="小华"),
        "mentor": make_user(
            "mentor",
            role=roles.Role.TEACHER,
            school=a,
            display_name="李老师",
            first_name="李",
            last_name="建国",
        ),
        "mentor_b": make_user("mentor_b", role=roles.Role.TEACHER, school=b, display_name="张老师"),
        "organiser": make_user("org", role=roles.Role.ORGANISER, display_name="周老师"),
        "judge_a": make_user("judge_a", role=roles.Role.JUDGE, school=a, display_name="评委甲"),
        "judge_x": make_user("judge_x", role=roles.Role.JUDGE, display_name="评委乙"),
        "judge_y": make_user("judge_y", role=roles.Role.JUDGE, display_name="评委丙"),
        "judge_z": make_user("judge_z", role=roles.Role.JUDGE, display_name="评委丁"),
    }


def png_upload(name="photo.png", size=(64, 48), fmt="PNG", **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, fmt, **save)
    return SimpleUploadedFile(name, buffer.getvalue())


def make_entry(
    edition, people, *, students=("s1", "s2"), mentor="mentor", title="智能浇花器", state=None, photo=True
):
    team = [people[s] for s in students]
    entry = services.create_entry(
        edition=edition,
        user=team[0],
        students=team,
        mentor=people[mentor],
        title=title,
        category=edition.categories.first(),
        age_group=edition.age_groups.get(name="初中")
        if team[0].school.stage == "junior"
        else edition.age_groups.get(name="高中"),
        description="用土壤湿度传感器自动给花浇水。",
    )
    if photo:
        services.add_photo(entry, png_upload(), user=team[0], alt_text="作品全貌", shows_people=False)
    if state in (EntryState.ENTERED, EntryState.ACCEPTED):
        services.transition(entry, "submit", user=team[0])
        services.transition(entry, "approve", user=people[mentor])
    if state == EntryState.ACCEPTED:
        services.transition(entry, "accept", user=people["organiser"])
    entry.refresh_from_db()
    return entry


@pytest.fixture
def judges(edition, people, schools):
    made = {}
    for key in ("judge_a", "judge_x", "judge_y", "judge_z"):
        made[key] = Judge.objects.create(edition=edition, user=people[key])
    made["judge_x"].linked_schools.add(schools[1])
    return made
