"""The rules of classes and progress, in one place: every view, import, seed and bench goes through here."""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import erasure, roles, spreadsheets

from courses import questions
from courses.models import CoursePage, LessonPage
from courses.workbench_data import lesson_files
from courses.workspace import services as workspace

from . import policy
from .models import (
    Assignment,
    LessonDueDate,
    LessonProgress,
    Membership,
    QuestionAttempt,
    SchoolClass,
    StepProgress,
)

# No 0/O, 1/I/L: codes are read off a projector and typed by children.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
CODE_LIFETIME = timedelta(days=14)
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
DISPLAY_NAME_MAX = 40
MAX_BULK_STUDENTS = 80


# ---------------------------------------------------------------- who may do what
# Every rule of who may do what is courses.classes.policy; these services ask it.


# ---------------------------------------------------------------- classes and join codes


def new_join_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code):
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def rotate_join_code(school_class, lifetime=CODE_LIFETIME):
    """A fresh code (the old one stops working at once) valid for `lifetime`."""
    for _attempt in range(10):
        school_class.join_code = new_join_code()
        school_class.join_code_expires_at = timezone.now() + lifetime
        try:
            with transaction.atomic():
                school_class.save(update_fields=["join_code", "join_code_expires_at"])
            return school_class
        except IntegrityError:  # the same code is in use by another class: draw again
            continue
    raise RuntimeError("could not draw a unique join code")


@transaction.atomic
def create_class(*, teacher, name, grade, school_year, school=None):
    school = school or teacher.school
    if school is None:
        raise ValidationError({"school": _("Your account has no school; ask the site administrator.")})
    school_class = SchoolClass.objects.create(name=name, school=school, grade=grade, school_year=school_year)
    school_class.teachers.add(teacher)
    rotate_join_code(school_class)
    return school_class


def add_teacher(school_class, username):
    User = get_user_model()
    teacher = User.objects.filter(username=username, groups__role__code=roles.Role.TEACHER).first()
    if teacher is None:
        raise ValidationError(
            {"username": _("No teacher with the username “%(name)s”.") % {"name": username}}
        )
    if not policy.may_teach_in(teacher, school_class):
        raise ValidationError({"username": _("%(name)s teaches at another school.") % {"name": username}})
    school_class.teachers.add(teacher)
    return teacher


def find_class_by_code(code):
    """The class a valid, unexpired code opens, or None."""
    code = normalise_code(code)
    if not code:
        return None
    school_class = SchoolClass.objects.select_related("school").filter(join_code=code).first()
    if school_class is None or not school_class.join_code_valid():
        return None
    return school_class


# ---------------------------------------------------------------- student accounts


def first_password():
    """Readable first password the teacher hands out; it must be changed at first login."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def _next_usernames(school_class, count):
    """c<class>-<nn> usernames: short to type, unique, and they say nothing about the child."""
    User = get_user_model()
    prefix = f"c{school_class.pk}-"
    taken = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    names, number = [], 1
    while len(names) < count:
        candidate = f"{prefix}{number:02d}"
        if candidate not in taken:
            names.append(candidate)
        number += 1
    return names


def _student_group():
    return roles.role_group(roles.Role.STUDENT)


def enrol(school_class, student):
    """Put a student in the class, re-activating an old membership if they had left."""
    membership, created = Membership.objects.get_or_create(school_class=school_class, student=student)
    if not created and membership.left_at is not None:
        membership.left_at = None
        membership.save(update_fields=["left_at"])
    return membership


def _save_new_students(school_class, students):
    """Save new accounts under the next free c<class>-<nn> usernames.

    A class of 45 joins at once, so two children can draw the same username between our read and
    our write; the one who loses the race draws again (a savepoint keeps the transaction usable).
    """
    User = get_user_model()
    pending = list(students)
    for _attempt in range(len(pending) + 20):
        saved = 0
        for student, username in zip(pending, _next_usernames(school_class, len(pending)), strict=True):
            student.username = username
            try:
                with transaction.atomic():
                    student.save()
            except IntegrityError:
                if not User.objects.filter(username=username).exists():
                    raise  # some other constraint: not ours to retry
                break  # taken meanwhile: draw fresh names for this one and the rest
            saved += 1
        pending = pending[saved:]
        if not pending:
            return students
    raise RuntimeError("could not draw free usernames")


@transaction.atomic
def join_new_student(school_class, *, display_name, password):
    """A child joins with the class code: a new account with just a display name and a password."""
    User = get_user_model()
    student = User(display_name=display_name.strip(), school=school_class.school)
    student.set_password(password)
    _save_new_students(school_class, [student])
    student.groups.add(_student_group())
    enrol(school_class, student)
    return student


def join_existing_student(school_class, student):
    if not policy.may_join(student, school_class):
        if roles.is_student(student):
            raise ValidationError(_("This class belongs to another school."))
        raise ValidationError(_("Only student accounts can join a class with a code."))
    if student.school_id is None:
        student.school = school_class.school
        student.save(update_fields=["school"])
    return enrol(school_class, student)


def parse_names(lines):
    """Clean a list of names; errors name the row (1-based) so the teacher can fix the paste or sheet."""
    names, errors, seen = [], [], {}
    for row, raw in lines:
        name = " ".join(str(raw or "").split())
        if not name:
            continue
        if len(name) > DISPLAY_NAME_MAX:
            errors.append(
                _("Row %(row)d: “%(name)s” is longer than %(max)d characters.")
                % {"row": row, "name": name[:20] + "…", "max": DISPLAY_NAME_MAX}
            )
        elif name in seen:
            errors.append(
                _("Row %(row)d: “%(name)s” is already on row %(first)d.")
                % {"row": row, "name": name, "first": seen[name]}
            )
        else:
            seen[name] = row
            names.append(name)
    if not names and not errors:
        errors.append(_("No names found."))
    if len(names) > MAX_BULK_STUDENTS:
        errors.append(_("At most %(max)d students at a time.") % {"max": MAX_BULK_STUDENTS})
    return names, errors


def names_from_text(text):
    return parse_names(enumerate((text or "").splitlines(), start=1))


def names_from_xlsx(upload):
    """Names from the first column of the first sheet; a header cell 姓名/名字/name is skipped."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for number, row in enumerate(sheet.iter_rows(max_col=1, values_only=True), start=1):
        value = row[0] if row else None
        if number == 1 and str(value or "").strip().lower() in {
            "姓名",
            "名字",
            "name",
            "display name",
            "昵称",
        }:
            continue
        rows.append((number, value))
    workbook.close()
    return parse_names(rows)


@dataclass
class Credential:
    display_name: str
    username: str
    password: str


@transaction.atomic
def bulk_create_students(school_class, names, progress=None):
    """All accounts or none. Returns the first passwords, which are shown once and never stored.

    The slow part (one password hash each, ~0.8 s) runs before the transaction, so the rows are
    written in one short transaction; `progress(done)` is called after each hash (the job's bar).
    """
    User = get_user_model()
    students, passwords = [], []
    for done, name in enumerate(names, start=1):
        student = User(display_name=name, school=school_class.school, must_change_password=True)
        passwords.append(first_password())
        student.set_password(passwords[-1])
        students.append(student)
        if progress is not None:
            progress(done)
    credentials = []
    with transaction.atomic():
        group = _student_group()
        _save_new_students(school_class, students)
        for student, password in zip(students, passwords, strict=True):
            student.groups.add(group)
            enrol(school_class, student)
            credentials.append(Credential(student.display_name, student.username, password))
    return credentials


def reset_password(school_class, student, *, by):
    """A new first password for a student now in the class; teachers and staff reset theirs elsewhere."""
    policy.check_controls_student(by, school_class, student)
    password = first_password()
    student.set_password(password)
    student.must_change_password = True
    student.save(update_fields=["password", "must_change_password"])
    return Credential(student.public_name, student.username, password)


def leave_class(school_class, student):
    """The student leaves; membership and progress stay on record."""
    updated = (
        Membership.objects.active()
        .filter(school_class=school_class, student=student)
        .update(left_at=timezone.now())
    )
    return bool(updated)


def delete_student_data(school_class, student, *, by):
    """A teacher erases a student of the class ("delete my data", asked by the child or a parent)."""
    policy.check_erase_student(by, student, school_class)
    return erasure.erase_student(student, by=by)


def erase_my_data(student):
    """The student erases their own data. Progress counts stay, no longer linked to anyone;
    memberships, saved code and sessions go; loans and festival teams stay without the name
    (makerroom.core.erasure and each app's erasure.py)."""
    policy.check_erase_student(student, student)
    return erasure.erase_student(student, by=student)


# ---------------------------------------------------------------- assignments


@transaction.atomic
def assign_course(school_class, course, *, by=None, due_dates=None):
    assignment, _created = Assignment.objects.get_or_create(
        school_class=school_class, course=course, defaults={"assigned_by": by}
    )
    lesson_ids = set(LessonPage.objects.child_of(course).values_list("pk", flat=True))
    for lesson_id, due_on in (due_dates or {}).items():
        if lesson_id not in lesson_ids:
            raise ValidationError(_("That lesson is not part of this course."))
        if due_on:
            LessonDueDate.objects.update_or_create(
                assignment=assignment, lesson_id=lesson_id, defaults={"due_on": due_on}
            )
        else:
            LessonDueDate.objects.filter(assignment=assignment, lesson_id=lesson_id).delete()
    return assignment


# ---------------------------------------------------------------- progress (one small request each)


def _lesson_blocks(lesson_id):
    """The raw top-level blocks of a live lesson, from one query (no page object needed)."""
    row = LessonPage.objects.live().filter(pk=lesson_id).values_list("body", flat=True).first()
    if row is None:
        raise LessonPage.DoesNotExist
    raw = getattr(row, "raw_data", row)
    return list(raw or [])


def mark_step(student, lesson_id, step_id, done=True):
    """Tick (or untick) a step: one read of the lesson, one write."""
    blocks = _lesson_blocks(lesson_id)
    if not any(block.get("id") == step_id for block in blocks):
        raise ValidationError(_("That step is not part of this lesson."))
    if done:
        StepProgress.objects.bulk_create(
            [StepProgress(student=student, lesson_id=lesson_id, step_id=step_id)], ignore_conflicts=True
        )
    else:
        StepProgress.objects.filter(student=student, lesson_id=lesson_id, step_id=step_id).delete()


def save_ticks(student, lesson_id, ticked, complete=None):
    """The no-JavaScript checklist: ticked steps are kept, the others cleared; `complete` True/False/None."""
    ticked = set(ticked)
    steps = [block["id"] for block in _lesson_blocks(lesson_id) if block.get("type") == "step"]
    StepProgress.objects.filter(student=student, lesson_id=lesson_id).exclude(step_id__in=ticked).delete()
    StepProgress.objects.bulk_create(
        [
            StepProgress(student=student, lesson_id=lesson_id, step_id=step)
            for step in steps
            if step in ticked
        ],
        ignore_conflicts=True,
    )
    if complete is not None:
        complete_lesson(student, lesson_id, done=complete)
    return sorted(ticked.intersection(steps))


def complete_lesson(student, lesson_id, done=True):
    _lesson_blocks(lesson_id)
    if done:
        LessonProgress.objects.bulk_create(
            [LessonProgress(student=student, lesson_id=lesson_id)], ignore_conflicts=True
        )
    else:
        LessonProgress.objects.filter(student=student, lesson_id=lesson_id).delete()


def answer_question(student, lesson_id, question_id, choice):
    """Record the first answer only; returns (correct, first_try) for this answer."""
    block = _question_block(_lesson_blocks(lesson_id), question_id)
    choices = block["value"].get("choices") or []
    if not 0 <= choice < len(choices):
        raise ValidationError(_("That answer is not one of the choices."))
    correct = choice in questions.correct_choices(block["value"])
    _attempt, first_try = QuestionAttempt.objects.get_or_create(
        student=student,
        lesson_id=lesson_id,
        question_id=question_id,
        defaults={"choice": choice, "correct": correct},
    )
    return correct, first_try


def _question_block(blocks, question_id):
    block = next((b for b in questions.question_blocks(blocks) if b.get("id") == question_id), None)
    if block is None:
        raise ValidationError(_("That question is not part of this lesson."))
    return block


def answer_reveal(student, lesson_id, question_id):
    """The correct choices and the explanation, for a student who has answered the question."""
    block = _question_block(_lesson_blocks(lesson_id), question_id)
    answered = QuestionAttempt.objects.filter(
        student=student, lesson_id=lesson_id, question_id=question_id
    ).exists()
    policy.require(policy.can_see_answer(student, answered=answered))
    return questions.reveal(block["value"])


def answers_for(student, lesson):
    """The questions of the lesson the student has answered, each with their first answer and the
    reveal (the lesson page shows these; unanswered questions give nothing away)."""
    blocks = questions.question_blocks(getattr(lesson.body, "raw_data", lesson.body))
    if not blocks:  # most lessons ask nothing: no query
        return []
    attempts = {a.question_id: a for a in QuestionAttempt.objects.filter(student=student, lesson=lesson)}
    answered = []
    for block in blocks:
        attempt = attempts.get(block.get("id"))
        if attempt is None or not policy.can_see_answer(student, answered=True):
            continue
        value = block["value"]
        choices = [(item.get("value", item) or {}).get("text", "") for item in value.get("choices") or []]
        shown = questions.reveal(value)
        answered.append(
            {
                "id": block["id"],
                "question": value.get("question", ""),
                "choice": attempt.choice,
                "your_choice": choices[attempt.choice] if attempt.choice < len(choices) else "",
                "first_try_correct": attempt.correct,
                "correct": [choices[n] for n in shown["correct_choices"]],
                "correct_choices": shown["correct_choices"],
                "explanation": shown["explanation"],
            }
        )
    return answered


def lesson_state_for(student, lesson):
    """What the lesson page shows a logged-in student: ticked step ids and whether it is complete."""
    done = set(StepProgress.objects.filter(student=student, lesson=lesson).values_list("step_id", flat=True))
    completed = LessonProgress.objects.filter(student=student, lesson=lesson).exists()
    return done, completed


# ---------------------------------------------------------------- my courses


@dataclass
class CourseProgress:
    course: CoursePage
    classes: list
    lessons: list
    completed: int = 0
    continue_lesson: LessonPage | None = None
    next_due: object = None
    overdue: list = field(default_factory=list)  # unfinished lessons past their due date, oldest first

    @property
    def total(self):
        return len(self.lessons)

    @property
    def percent(self):
        return round(100 * self.completed / self.total) if self.total else 0


def my_courses(student):
    assignments = list(
        Assignment.objects.filter(
            school_class__memberships__student=student,
            school_class__memberships__left_at__isnull=True,
            course__live=True,
        )
        .select_related("course", "school_class")
        .order_by("assigned_at")
    )
    if not assignments:
        return []
    by_course = {}
    for assignment in assignments:
        entry = by_course.setdefault(assignment.course_id, CourseProgress(assignment.course, [], []))
        entry.classes.append(assignment.school_class)
    courses = [entry.course for entry in by_course.values()]
    path_filter = models.Q()
    for course in courses:
        path_filter |= models.Q(path__startswith=course.path, depth=course.depth + 1)
    lessons = list(
        LessonPage.objects.live()
        .public()
        .filter(path_filter)
        .order_by("path")
        .only("id", "title", "path", "depth", "url_path", "locale_id")
    )
    lesson_ids = [lesson.pk for lesson in lessons]
    completed = set(
        LessonProgress.objects.filter(student=student, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )
    last_step = (
        StepProgress.objects.filter(student=student, lesson_id__in=lesson_ids)
        .values("lesson_id")
        .annotate(last=Max("done_at"))
    )
    last_activity = {row["lesson_id"]: row["last"] for row in last_step}
    due = dict(
        LessonDueDate.objects.filter(assignment__in=assignments, lesson_id__in=lesson_ids)
        .values("lesson_id")
        .annotate(first=models.Min("due_on"))
        .values_list("lesson_id", "first")
    )
    course_by_path = {course.path: by_course[course.pk] for course in courses}
    today = timezone.localdate()
    for lesson in lessons:
        entry = course_by_path[lesson.path[: -lesson.steplen]]
        lesson.is_completed = lesson.pk in completed
        lesson.due_on = due.get(lesson.pk)
        entry.lessons.append(lesson)
    for entry in by_course.values():
        entry.completed = sum(1 for lesson in entry.lessons if lesson.is_completed)
        open_lessons = [lesson for lesson in entry.lessons if not lesson.is_completed]
        started = [lesson for lesson in open_lessons if lesson.pk in last_activity]
        # Continue where you left off: the unfinished lesson touched last, else the first unfinished one.
        if started:
            entry.continue_lesson = max(started, key=lambda lesson: last_activity[lesson.pk])
        elif open_lessons:
            entry.continue_lesson = open_lessons[0]
        dues = [lesson.due_on for lesson in open_lessons if lesson.due_on]
        entry.next_due = min(dues) if dues else None
        # The student sees what is late too ("已逾期 3 天"), not only the teacher's dashboard.
        for lesson in open_lessons:
            lesson.days_overdue = (
                (today - lesson.due_on).days if lesson.due_on and lesson.due_on < today else 0
            )
        entry.overdue = sorted(
            (lesson for lesson in open_lessons if lesson.days_overdue), key=lambda x: x.due_on
        )
    return list(by_course.values())


# ---------------------------------------------------------------- teacher dashboard

DONE, IN_PROGRESS, NOT_STARTED, LATE = "done", "in_progress", "not_started", "late"
# Every step ticked but "完成本课" never pressed: shown apart, so the teacher can remind the student.
TICKED = "ticked"
DEFAULT_STUCK_DAYS = 7


@dataclass
class Dashboard:
    school_class: SchoolClass
    course: CoursePage
    lessons: list
    rows: list = field(default_factory=list)  # [(membership, [cell, ...], summary)]
    lesson_rates: list = field(default_factory=list)
    stuck: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    stuck_days: int = DEFAULT_STUCK_DAYS


def _question_blocks(lesson):
    raw = getattr(lesson.body, "raw_data", lesson.body)
    return [block for block in raw if block.get("type") == "question"]


def _step_count(lesson):
    raw = getattr(lesson.body, "raw_data", lesson.body)
    return sum(1 for block in raw if block.get("type") == "step")


def dashboard_for(user, class_id, course_id, *, stuck_days=DEFAULT_STUCK_DAYS, today=None):
    """Students × lessons for one class and course, in a constant number of queries (seven).

    Each cell carries the student's progress and, for a lesson with a workbench, their saved code
    (`code`: `workspace.SavedCode` with the last check, or None) — display names only on the rows.

        Raises PermissionDenied unless the user teaches the class (or is a superuser), and
        Assignment.DoesNotExist if the course is not assigned to it.
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    assignment = (
        Assignment.objects.select_related("school_class__school", "course")
        .annotate(is_teacher=policy.teaching_expression(user, "school_class_id"))
        .get(school_class_id=class_id, course_id=course_id)
    )
    policy.check_view_dashboard(user, assignment.school_class, is_teacher=assignment.is_teacher)
    school_class, course = assignment.school_class, assignment.course
    due = dict(LessonDueDate.objects.filter(assignment=assignment).values_list("lesson_id", "due_on"))
    lessons = list(
        LessonPage.objects.child_of(course)
        .live()
        .order_by("path")
        .only("id", "title", "path", "depth", "url_path", "locale_id", "body", "program")
    )
    lesson_ids = [lesson.pk for lesson in lessons]
    memberships = list(
        Membership.objects.filter(school_class=school_class, left_at__isnull=True)
        .select_related("student")
        .only("id", "joined_at", "student__id", "student__username", "student__display_name")
        .order_by("student__display_name", "student__username")
    )
    members = Membership.objects.filter(school_class=school_class, left_at__isnull=True).values("student_id")

    # Steps ticked and lessons completed per student and lesson, and each student's last activity,
    # in one query: a UNION of four aggregates. Only the per-student rows carry a timestamp, so the
    # database converts 2 × students datetimes, not one per cell.
    # Typed NULL: PostgreSQL types an untyped NULL in a UNION's first branch as text.
    no_time = Cast(Value(None), output_field=models.DateTimeField())
    no_lesson = Value(None, output_field=models.IntegerField())
    ticked = StepProgress.objects.filter(student_id__in=members, lesson_id__in=lesson_ids)
    completed = LessonProgress.objects.filter(student_id__in=members, lesson_id__in=lesson_ids)
    columns = ("student_id", "lid", "n", "at", "kind")
    parts = [
        ticked.values("student_id").annotate(
            lid=models.F("lesson_id"), n=Count("id"), at=no_time, kind=Value("s")
        ),
        completed.annotate(lid=models.F("lesson_id"), n=Value(1), at=no_time, kind=Value("c")),
        ticked.values("student_id").annotate(lid=no_lesson, n=Value(0), at=Max("done_at"), kind=Value("t")),
        completed.values("student_id").annotate(
            lid=no_lesson, n=Value(0), at=Max("completed_at"), kind=Value("t")
        ),
    ]
    parts = [part.values_list(*columns) for part in parts]
    steps_done, lessons_done, last_activity = {}, set(), {}
    for student_id, lesson_id, count, when, kind in parts[0].union(*parts[1:], all=True):
        if kind == "s":
            steps_done[(student_id, lesson_id)] = count
        elif kind == "c":
            lessons_done.add((student_id, lesson_id))
        elif when and (student_id not in last_activity or when > last_activity[student_id]):
            last_activity[student_id] = when

    attempts = (
        QuestionAttempt.objects.filter(student_id__in=members, lesson_id__in=lesson_ids)
        .values("lesson_id", "question_id")
        .annotate(total=Count("id"), right=Count("id", filter=models.Q(correct=True)))
    )
    attempt_map = {(row["lesson_id"], row["question_id"]): row for row in attempts}
    # The students' code and its last check: one query, whatever the class and course size.
    code = workspace.saved_code(members, lesson_ids)

    board = Dashboard(school_class, course, lessons, stuck_days=stuck_days)
    columns = [
        (
            lesson.pk,
            _step_count(lesson),
            due.get(lesson.pk),
            bool(lesson.program and lesson_files(lesson.program)),
        )
        for lesson in lessons
    ]
    done_per_lesson = dict.fromkeys(lesson_ids, 0)
    stuck_before = now - timedelta(days=stuck_days)
    for membership in memberships:
        student_id = membership.student_id
        cells, done_count = [], 0
        for lesson_id, step_total, due_on, bench in columns:
            key = (student_id, lesson_id)
            steps = steps_done.get(key, 0)
            if key in lessons_done:
                state = DONE
                done_count += 1
                done_per_lesson[lesson_id] += 1
            elif step_total and steps >= step_total:
                state = TICKED
            elif due_on and due_on < today:
                state = LATE
            elif steps:
                state = IN_PROGRESS
            else:
                state = NOT_STARTED
            cells.append(
                {
                    "state": state,
                    "steps": steps,
                    "step_total": step_total,
                    "due_on": due_on,
                    "bench": bench,  # the lesson has a workbench: a student's code can be saved
                    "code": code.get(key),
                }
            )
        last = last_activity.get(student_id)
        board.rows.append((membership, cells, {"done": done_count, "last": last}))
        # A student who never started is stuck as well (listed with no date), however recently they
        # joined: the teacher's "who needs help" list must not hide the ones who never began.
        if lessons and done_count < len(lessons) and (last is None or last < stuck_before):
            board.stuck.append((membership, last))
    total = len(memberships)
    board.lesson_rates = [
        {
            "lesson": lesson,
            "done": done_per_lesson[lesson.pk],
            "percent": round(100 * done_per_lesson[lesson.pk] / total) if total else 0,
            "due_on": due.get(lesson.pk),
        }
        for lesson in lessons
    ]
    for lesson in lessons:
        for block in _question_blocks(lesson):
            row = attempt_map.get((lesson.pk, block["id"]), {"total": 0, "right": 0})
            board.questions.append(
                {
                    "lesson": lesson,
                    "question": block["value"].get("question", ""),
                    "answered": row["total"],
                    "right": row["right"],
                    "percent": round(100 * row["right"] / row["total"]) if row["total"] else None,
                }
            )
    return board


def dashboard_table(board):
    """The grid as plain rows for XLSX/CSV export (display names only; no usernames of children)."""
    labels = {
        DONE: _("done"),
        TICKED: _("all steps ticked, not marked complete"),
        IN_PROGRESS: _("in progress"),
        NOT_STARTED: _("not started"),
        LATE: _("late"),
    }
    header = [_("Student"), _("Lessons done")] + [lesson.title for lesson in board.lessons]
    rows = [header]
    for membership, cells, summary in board.rows:
        rows.append(
            [membership.student.public_name, summary["done"]] + [labels[cell["state"]] for cell in cells]
        )
    return rows


def export_csv(board):
    """The grid as UTF-8 CSV (the core's formula-safe writer: a child's "=HYPERLINK(…)" stays text)."""
    return spreadsheets.csv_bytes(dashboard_table(board))


# Column widths of the XLSX (in characters): names, the count, then one narrow column per lesson
# whose long title sits in the header row (states are 2-4 CJK characters).
XLSX_NAME_WIDTH, XLSX_COUNT_WIDTH, XLSX_LESSON_WIDTH = 16, 10, 14


def export_xlsx(board):
    """The grid as an XLSX workbook; every text cell is stored as text, never as a formula."""
    widths = [XLSX_NAME_WIDTH, XLSX_COUNT_WIDTH] + [XLSX_LESSON_WIDTH] * len(board.lessons)
    return spreadsheets.xlsx_sheet(board.course.title, dashboard_table(board), freeze="C2", widths=widths)


def current_lessons(school_id, today=None):
    """Each class of a school with the lesson it is on now, for flashing a class's boards: the
    earliest lesson with a bundled program due today or later. [{class, lesson, program, due_on}]"""
    today = today or timezone.localdate()
    rows = (
        LessonDueDate.objects.filter(assignment__school_class__school_id=school_id, due_on__gte=today)
        .exclude(lesson__program="")
        .select_related("assignment__school_class", "lesson")
        .order_by("assignment__school_class__name", "due_on", "pk")
    )
    first = {}
    for row in rows:
        first.setdefault(row.assignment.school_class_id, row)
    return [
        {
            "class": row.assignment.school_class.name,
            "lesson": row.lesson.title,
            "program": row.lesson.program,
            "due_on": row.due_on,
        }
        for row in first.values()
    ]
