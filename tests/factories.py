"""Shared test factories: two schools with everything the site holds, and a user in every role.

`build_world()` makes, for school A and school B each: a teacher, a student in that teacher's
class, lab staff, a course with two lessons assigned to the class, a festival entry whose team is
the student (mentored by the teacher), a maker room with a grant, a purchase, an asset, stock, a
kit, an open loan to the student, a reservation, a stocktake, a flash record and audit entries that
name the student. City-wide: a reviewer, a city coordinator, a judge (assigned to both entries), an
organiser and a superuser. Rows are made with the ORM (the services' checks are not what these
factories are about), so the world stays the same while services are refactored.

Users are keyed by the role names the permission matrix uses (`ROLE_NAMES`). Tests that need just
a school or two (the apps' conftests and fixtures) build them with `make_school`.
"""

import io
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from makerroom.core import roles
from makerroom.core.models import School, SchoolStage
from PIL import Image

PASSWORD = "pass-w0rd-123"

# Every role the matrix asks as; "anonymous" has no user.
ROLE_NAMES = (
    "anonymous",
    "student",
    "other_student",
    "teacher",
    "other_teacher",
    "reviewer",
    "labstaff",
    "other_labstaff",
    "coordinator",
    "judge",
    "organiser",
    "superuser",
)


@dataclass
class SchoolSide:
    """One school's rows."""

    school: object
    teacher: object = None
    student: object = None
    labstaff: object = None
    school_class: object = None
    course: object = None
    lessons: list = field(default_factory=list)
    entry: object = None
    member: object = None
    photo: object = None
    room: object = None
    grant: object = None
    purchase: object = None
    asset: object = None
    stock: object = None
    kit: object = None
    loan: object = None
    reservation: object = None
    stocktake: object = None
    flash: object = None
    assignment: object = None
    photo_bytes: bytes = b""


@dataclass
class World:
    a: SchoolSide
    b: SchoolSide
    users: dict
    home: object = None
    course_index: object = None
    festival_index: object = None
    edition: object = None
    judge: object = None
    judge_assignments: list = field(default_factory=list)
    kit_template: object = None
    programme: object = None
    image: object = None
    document: object = None
    redirect: object = None
    collection: object = None
    workflow_state: object = None
    task: object = None
    job: object = None

    def user(self, role):
        return self.users.get(role)


def make_user(username, role=None, **fields):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if role:
        roles.add_role(user, role)
    return user


def png_file(name="photo.png", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


_school_numbers = itertools.count(1)


def make_school(code=None, name=None, *, stage=SchoolStage.JUNIOR, **fields):
    """One school (the only place tests create one). Tests that assert a school's code or name pass
    it; otherwise each call gets a code and a name of its own (both are unique)."""
    if code is None or name is None:
        number = next(_school_numbers)
        code = code or f"SZ-F{number:03d}"
        name = name or f"深圳市工厂测试学校{number}"
    return School.objects.create(code=code, name=name, stage=stage, **fields)


def make_schools():
    a = make_school("SZ-M001", "深圳市南山区矩阵实验学校", district="南山区", stage=SchoolStage.JUNIOR)
    b = make_school("SZ-M002", "深圳市福田区矩阵外国语学校", district="福田区", stage=SchoolStage.JUNIOR)
    return a, b


def make_people(a, b):
    R = roles.Role
    return {
        "student": make_user("m_student", R.STUDENT, school=a, display_name="林小雨"),
        "other_student": make_user("m_other_student", R.STUDENT, school=b, display_name="陈小刚"),
        "teacher": make_user("m_teacher", R.TEACHER, school=a, display_name="李老师"),
        "other_teacher": make_user("m_other_teacher", R.TEACHER, school=b, display_name="张老师"),
        "reviewer": make_user("m_reviewer", R.REVIEWER, school=a, display_name="王组长"),
        "labstaff": make_user("m_labstaff", R.LAB_STAFF, school=a, display_name="王实验员"),
        "other_labstaff": make_user("m_other_labstaff", R.LAB_STAFF, school=b, display_name="赵实验员"),
        "coordinator": make_user("m_coordinator", R.CITY_COORDINATOR, display_name="市统筹员"),
        "judge": make_user("m_judge", R.JUDGE, display_name="评委甲"),
        "organiser": make_user("m_organiser", R.ORGANISER, display_name="周老师"),
        "superuser": make_user("m_root", is_superuser=True, is_staff=True, display_name="管理员"),
    }


def make_course(course_index, school, title):
    from courses.models import CoursePage, Stage
    from tests.courses.conftest import make_lesson

    course = CoursePage(
        title=title,
        slug=f"m-{uuid.uuid4().hex[:8]}",
        school=school,
        summary=f"{title}的课程简介",
        level="first-steps",
        total_hours=8,
        objectives="认识 ESP32\n会写 MicroPython",
    )
    course_index.add_child(instance=course)
    course.stages.set(Stage.objects.filter(slug="junior"))
    course.save_revision().publish()
    lessons = [make_lesson(course, f"{title}：第{n + 1}课", blocks=6) for n in range(2)]
    return course, lessons


def ensure_catalogue():
    """Migrations load the catalogue and programmes; a transactional test elsewhere may have flushed them."""
    from kits import catalogue
    from kits.models import FundingProgramme, ToolCategory, ToolType

    if not ToolType.objects.exists():
        catalogue.sync_catalogue(ToolCategory, ToolType)
    if not FundingProgramme.objects.exists():
        catalogue.sync_programmes(FundingProgramme)


def make_room_side(side, template, programme, lender):
    """A maker room with one of everything kits holds."""
    from kits.models import (
        Asset,
        BorrowerKind,
        FlashRecord,
        Grant,
        GrantStatus,
        Kit,
        Loan,
        MakerRoom,
        Purchase,
        Reservation,
        Stock,
        Stocktake,
        ToolType,
    )

    school, code = side.school, side.school.code
    side.room = MakerRoom.objects.create(school=school, name="创客实践室", location="科技楼 3 楼")
    side.grant = Grant.objects.create(
        programme=programme,
        room=side.room,
        reference=f"{code}-G1",
        approved_amount=Decimal("500000.00"),
        charged=Decimal("3000.00"),
        starts_on=date(2025, 9, 1),
        ends_on=date(2027, 8, 31),
        status=GrantStatus.APPROVED,
    )
    board = ToolType.objects.get(slug="esp32-devkit")
    side.purchase = Purchase.objects.create(
        grant=side.grant,
        tool_type=board,
        quantity=100,
        unit_cost=Decimal("30.00"),
        total_cost=Decimal("3000.00"),
        subsidy=Decimal("3000.00"),
        supplier="深圳市华强电子有限公司",
        invoice_number=f"{code}-INV-1",
        purchased_on=date(2026, 3, 1),
        recorded_by=side.labstaff,
    )
    side.asset = Asset.objects.create(
        tag=f"{code}-A0001",
        room=side.room,
        tool_type=ToolType.objects.get(slug="3d-printer")
        if ToolType.objects.filter(slug="3d-printer").exists()
        else board,
        purchase=side.purchase,
        location="A 柜",
    )
    side.stock = Stock.objects.create(room=side.room, tool_type=board, quantity=100, low_stock_threshold=10)
    side.kit = Kit.objects.create(code=f"{code}-K01", school=school, room=side.room, template=template)
    side.loan = Loan.objects.create(
        kit=side.kit,
        school=school,
        borrower_kind=BorrowerKind.choices[0][0],
        borrower=side.student,
        class_name="初二（3）班",
        due_on=date.today() + timedelta(days=7),
        lent_by=side.labstaff,
    )
    side.reservation = Reservation.objects.create(
        room=side.room,
        teacher=side.teacher,
        class_name="初二（3）班",
        date=date.today() + timedelta(days=3),
        starts_at=time(9, 0),
        ends_at=time(10, 0),
        kit_count=1,
    )
    side.stocktake = Stocktake.objects.create(room=side.room, started_by=side.labstaff)
    side.flash = FlashRecord.objects.create(
        kit=side.kit,
        mac="24:0a:c4:e2:95:26",
        chip="ESP32",
        lesson_slug="blink",
        ok=True,
        flashed_by=side.labstaff,
    )


def make_class_side(side, course):
    from courses.classes.models import Assignment, Membership, SchoolClass

    side.school_class = SchoolClass.objects.create(
        school=side.school, name=f"{side.school.code} 初二（3）班", grade=8, school_year="2026-2027"
    )
    side.school_class.teachers.add(side.teacher)
    Membership.objects.create(school_class=side.school_class, student=side.student)
    side.assignment = Assignment.objects.create(
        school_class=side.school_class, course=course, assigned_by=side.teacher
    )


def make_entry_side(side, edition):
    from festival.models import Entry, TeamMember

    side.entry = Entry.objects.create(
        edition=edition,
        title=f"{side.school.code} 智能浇花器",
        category=edition.categories.first(),
        age_group=edition.age_groups.get(name="初中"),
        school=side.school,
        mentor=side.teacher,
        description="用土壤湿度传感器自动给花浇水。",
    )
    side.member = TeamMember.objects.create(entry=side.entry, student=side.student, guardian_consent=True)
    # Through the service: it strips EXIF and stores the file where the photo view reads it.
    from festival import services

    side.photo = services.add_photo(
        side.entry,
        png_file(f"{side.school.code}.png"),
        user=side.student,
        alt_text="作品全貌",
        shows_people=False,
    )
    with side.photo.image.open("rb") as stored:
        side.photo_bytes = stored.read()


def make_audit(side):
    """Audit entries about this school's rows, naming its student (what the site-history report shows)."""
    from makerroom.core import audit

    audit.record(side.loan, "kits.lend", side.labstaff, borrower=side.student.display_name)
    audit.record(side.grant, "kits.edit", side.labstaff, before={"reference": ""}, after={"reference": "x"})
    # A student's own action: the report's user column shows the student's display name.
    audit.record(side.entry, "wagtail.create", side.student)


def build_world():
    """Two schools with everything; see the module docstring."""
    from makerroom.home.models import HomePage

    from courses.models import CourseIndexPage
    from festival.models import Assignment as JudgeAssignment
    from festival.models import Judge
    from kits.models import FundingProgramme, KitTemplate
    from tests.courses.conftest import make_image
    from tests.festival.conftest import build_edition

    ensure_catalogue()
    school_a, school_b = make_schools()
    users = make_people(school_a, school_b)
    a = SchoolSide(school_a, teacher=users["teacher"], student=users["student"], labstaff=users["labstaff"])
    b = SchoolSide(
        school_b,
        teacher=users["other_teacher"],
        student=users["other_student"],
        labstaff=users["other_labstaff"],
    )
    world = World(a=a, b=b, users=users)
    world.home = HomePage.objects.get(locale__language_code="zh-hans")
    world.course_index = CourseIndexPage.objects.child_of(world.home).first()
    if world.course_index is None:
        world.course_index = CourseIndexPage(title="课程", slug="courses", intro="全市创客课程")
        world.home.add_child(instance=world.course_index)
        world.course_index.save_revision().publish()
    a.course, a.lessons = make_course(world.course_index, school_a, "创客启蒙：点亮第一盏灯")
    b.course, b.lessons = make_course(world.course_index, school_b, "进阶培训：舵机控制入门")
    world.edition = build_edition(world.home, slug="2031")
    world.festival_index = world.edition.get_parent().specific
    world.kit_template = KitTemplate.objects.create(name="矩阵 ESP32 入门套件")
    world.programme = FundingProgramme.objects.get(slug="maker-room")
    for side in (a, b):
        make_class_side(side, side.course)
        make_entry_side(side, world.edition)
        make_room_side(side, world.kit_template, world.programme, side.labstaff)
        make_audit(side)
    world.judge = Judge.objects.create(edition=world.edition, user=users["judge"])
    world.judge_assignments = [
        JudgeAssignment.objects.create(entry=s.entry, judge=world.judge) for s in (a, b)
    ]
    world.image = make_image("矩阵接线图")
    make_admin_rows(world)
    return world


def make_admin_rows(world):
    """Rows of Wagtail's own admin: a document, a redirect, a collection, a lesson in review."""
    from django.core.files.base import ContentFile
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    world.document = get_document_model().objects.create(
        title="矩阵材料清单", file=ContentFile(b"%PDF-1.4 matrix", name="matrix.pdf")
    )
    world.redirect = Redirect.objects.create(old_path="/old-matrix", redirect_link="/")
    world.collection = Collection.get_first_root_node().add_child(name="矩阵图片")
    lesson = world.a.lessons[0]
    world.workflow_state = lesson.get_workflow().start(lesson, world.a.teacher)
    world.task = world.workflow_state.current_task_state.task
    from makerroom.core.jobs_models import Job

    world.job = Job.objects.create(
        owner=world.a.teacher, runner="makerroom.core.jobs.noop", title="导出班级进度"
    )


def restore_files(world):
    """Put back media files a request deleted (files are not rolled back with the database)."""
    for side in (world.a, world.b):
        storage, name = side.photo.image.storage, side.photo.image.name
        if not storage.exists(name):
            with open(storage.path(name), "wb") as out:
                out.write(side.photo_bytes)


def now():
    return timezone.now()
