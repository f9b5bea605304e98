"""Thin views over courses.classes.services. Teachers see only classes they teach; students see
their own progress and their classmates' display names, never another class."""

import datetime

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from makerroom.core import jobs
from makerroom.core import throttle as throttles
from makerroom.core.jobs_models import Job, JobState
from makerroom.core.policy import may_see_job

from courses.models import CoursePage, LessonPage

from . import jobs as class_jobs
from . import policy, services
from .backends import too_many_attempts_message
from .forms import (
    AddTeacherForm,
    AssignCourseForm,
    BulkStudentsForm,
    DeleteMyDataForm,
    JoinCodeForm,
    NewStudentForm,
    SchoolClassForm,
)
from .models import Assignment, LessonDueDate, Membership, SchoolClass


def _taught_class(request, pk):
    school_class = get_object_or_404(SchoolClass.objects.select_related("school"), pk=pk)
    if not policy.teaches(request.user, school_class):
        raise PermissionDenied
    return school_class


# ---------------------------------------------------------------- teachers: classes


@login_required
def class_list(request):
    if not policy.can_list_classes(request.user):
        raise PermissionDenied
    classes = policy.classes_taught_by(request.user, SchoolClass.objects.select_related("school"))
    classes = classes.prefetch_related("teachers")
    return render(request, "classes/class_list.html", {"classes": classes})


@login_required
def class_create(request):
    if not policy.can_create_class(request.user):
        raise PermissionDenied
    form = SchoolClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school_class = services.create_class(teacher=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Class created. Show the join sheet to your students."))
            return redirect("classes:class_detail", pk=school_class.pk)
    return render(request, "classes/class_form.html", {"form": form})


@login_required
def class_detail(request, pk):
    school_class = get_object_or_404(SchoolClass.objects.select_related("school"), pk=pk)
    if policy.teaches(request.user, school_class):
        return _teacher_class_page(request, school_class)
    if policy.is_member(request.user, school_class):
        classmates = (
            Membership.objects.active()
            .filter(school_class=school_class)
            .select_related("student")
            .order_by("student__display_name")
        )
        return render(
            request,
            "classes/class_student.html",
            {"school_class": school_class, "classmates": [m.student.public_name for m in classmates]},
        )
    raise PermissionDenied


def _teacher_class_page(request, school_class):
    assignments = list(
        Assignment.objects.filter(school_class=school_class).select_related("course").order_by("assigned_at")
    )
    due = {}
    for row in LessonDueDate.objects.filter(assignment__in=assignments):
        due[(row.assignment_id, row.lesson_id)] = row.due_on
    for assignment in assignments:
        assignment.lesson_rows = [
            (lesson, due.get((assignment.pk, lesson.pk)))
            for lesson in LessonPage.objects.child_of(assignment.course)
            .live()
            .order_by("path")
            .only("id", "title")
        ]
    members = (
        Membership.objects.filter(school_class=school_class)
        .select_related("student")
        .order_by("left_at", "student__display_name")
    )
    return render(
        request,
        "classes/class_detail.html",
        {
            "school_class": school_class,
            "teachers": school_class.teachers.all(),
            "members": members,
            "assignments": assignments,
            "assign_form": AssignCourseForm(),
            "teacher_form": AddTeacherForm(),
            "join_url": _join_url(request, school_class),
        },
    )


def _join_url(request, school_class):
    return request.build_absolute_uri(reverse("classes:join") + f"?code={school_class.join_code or ''}")


@login_required
def join_sheet(request, pk):
    school_class = _taught_class(request, pk)
    if not school_class.join_code_valid():
        messages.warning(request, _("The join code has expired. Make a new one first."))
        return redirect("classes:class_detail", pk=pk)
    url = _join_url(request, school_class)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    svg = image.to_string(encoding="unicode")
    return render(
        request,
        "classes/join_sheet.html",
        {"school_class": school_class, "join_url": url, "qr_svg": mark_safe(svg)},
    )  # noqa: S308 - our own SVG


@login_required
@require_POST
def rotate_code(request, pk):
    school_class = _taught_class(request, pk)
    services.rotate_join_code(school_class)
    messages.success(
        request,
        _("New join code: %(code)s. The old code no longer works.") % {"code": school_class.join_code},
    )
    return redirect("classes:class_detail", pk=pk)


@login_required
@require_POST
def add_teacher(request, pk):
    school_class = _taught_class(request, pk)
    form = AddTeacherForm(request.POST)
    if form.is_valid():
        try:
            teacher = services.add_teacher(school_class, form.cleaned_data["username"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s now teaches this class too.") % {"name": teacher.public_name}
            )
    return redirect("classes:class_detail", pk=pk)


@login_required
@require_POST
def assign(request, pk):
    school_class = _taught_class(request, pk)
    form = AssignCourseForm(request.POST)
    if form.is_valid():
        services.assign_course(school_class, form.cleaned_data["course"], by=request.user)
        messages.success(request, _("Course assigned."))
    else:
        messages.error(request, _("Choose a published course."))
    return redirect("classes:class_detail", pk=pk)


@login_required
@require_POST
def due_dates(request, pk, course_id):
    school_class = _taught_class(request, pk)
    course = get_object_or_404(CoursePage, pk=course_id, class_assignments__school_class=school_class)
    dates, errors = {}, []
    for lesson in LessonPage.objects.child_of(course).only("id", "title"):
        raw = request.POST.get(f"due_{lesson.pk}", "").strip()
        if not raw:
            dates[lesson.pk] = None
            continue
        try:
            dates[lesson.pk] = datetime.date.fromisoformat(raw)
        except ValueError:
            errors.append(
                _("%(lesson)s: “%(value)s” is not a date.") % {"lesson": lesson.title, "value": raw}
            )
    if errors:
        for error in errors:
            messages.error(request, error)
    else:
        services.assign_course(school_class, course, by=request.user, due_dates=dates)
        messages.success(request, _("Due dates saved."))
    return redirect("classes:class_detail", pk=pk)


# ---------------------------------------------------------------- teachers: student accounts


@login_required
def bulk_create(request, pk):
    school_class = _taught_class(request, pk)
    form = BulkStudentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        names = form.cleaned_data["parsed_names"]
        if len(names) > class_jobs.BULK_IN_REQUEST:
            # ~0.8 s per password hash: a whole class is made by the worker, never in the request.
            job = jobs.start(
                request.user,
                class_jobs.bulk_students_job,
                _("Student accounts for %(name)s") % {"name": school_class.name},
                params={"class_id": school_class.pk, "names": names},
            )
            return redirect("classes:bulk_sheet", pk=school_class.pk, job_id=job.pk)
        credentials = services.bulk_create_students(school_class, names)
        return _credentials_sheet(request, school_class, credentials)
    return render(request, "classes/bulk_create.html", {"school_class": school_class, "form": form})


def _credentials_sheet(request, school_class, credentials):
    # First passwords are shown once, on this printable sheet, and never stored in clear.
    return render(
        request,
        "classes/credentials_sheet.html",
        {
            "school_class": school_class,
            "credentials": credentials,
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
        },
    )


@login_required
def bulk_sheet(request, pk, job_id):
    """The credentials of a bulk job: a waiting page until the worker is done, then the sheet, once."""
    school_class = _taught_class(request, pk)
    job = get_object_or_404(Job, pk=job_id, runner=class_jobs.bulk_students_job.job_path)
    if not may_see_job(request.user, job) or job.params.get("class_id") != school_class.pk:
        raise Http404
    if job.state == JobState.DONE:
        credentials = class_jobs.read_credentials(job)
        if credentials is not None:
            return _credentials_sheet(request, school_class, credentials)
    return render(
        request,
        "classes/bulk_waiting.html",
        {"school_class": school_class, "job": job, "shown": job.finished},
    )


def _controlled_student(request, school_class, user_id):
    """A student the teacher controls now (in the class, a student account), else 404/403."""
    membership = get_object_or_404(
        Membership.objects.select_related("student"), school_class=school_class, student_id=user_id
    )
    if not policy.controls_student(request.user, school_class, membership.student):
        raise PermissionDenied
    return membership.student


@login_required
@require_POST
def reset_password(request, pk, user_id):
    school_class = _taught_class(request, pk)
    credential = services.reset_password(
        school_class, _controlled_student(request, school_class, user_id), by=request.user
    )
    return render(
        request,
        "classes/credentials_sheet.html",
        {
            "school_class": school_class,
            "credentials": [credential],
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
        },
    )


@login_required
def delete_student(request, pk, user_id):
    school_class = _taught_class(request, pk)
    student = _controlled_student(request, school_class, user_id)
    if request.method == "POST":
        name = student.public_name
        services.delete_student_data(school_class, student, by=request.user)
        messages.success(
            request,
            _("%(name)s's personal data were deleted; anonymous progress counts remain.") % {"name": name},
        )
        return redirect("classes:class_detail", pk=pk)
    return render(request, "classes/delete_student.html", {"school_class": school_class, "student": student})


# ---------------------------------------------------------------- teachers: dashboard


def _board(request, pk, course_id):
    try:
        stuck_days = max(1, min(90, int(request.GET.get("stuck_days", services.DEFAULT_STUCK_DAYS))))
    except ValueError:
        stuck_days = services.DEFAULT_STUCK_DAYS
    try:
        return services.dashboard_for(request.user, pk, course_id, stuck_days=stuck_days)
    except Assignment.DoesNotExist as exc:
        if not SchoolClass.objects.filter(pk=pk).exists():
            raise Http404 from exc
        if not policy.teaches(request.user, SchoolClass.objects.get(pk=pk)):
            raise PermissionDenied from exc
        raise Http404 from exc


@login_required
def dashboard(request, pk, course_id):
    board = _board(request, pk, course_id)
    return render(request, "classes/dashboard.html", {"board": board, "school_class": board.school_class})


EXPORTS = {
    "csv": (services.export_csv, "text/csv; charset=utf-8"),
    "xlsx": (services.export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@login_required
def export(request, pk, course_id, fmt):
    board = _board(request, pk, course_id)
    if fmt == "xlsx" and len(board.rows) * max(1, len(board.lessons)) > class_jobs.XLSX_CELLS_IN_REQUEST:
        job = jobs.start(
            request.user,
            class_jobs.dashboard_xlsx_job,
            _("Progress of %(name)s (XLSX)") % {"name": board.school_class.name},
            params={"class_id": board.school_class.pk, "course_id": board.course.pk},
        )
        return redirect(job)
    build, content_type = EXPORTS[fmt]
    response = HttpResponse(build(board), content_type=content_type)
    filename = f"class-{board.school_class.pk}-course-{board.course.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- students


def join(request):
    """Enter the class code (the QR code fills it in), then create an account or join with yours."""
    # Only a posted code is a guess (and only then does the browser get its throttle id).
    guesses = throttles.join_throttles(request) if request.method == "POST" else []
    code_form = JoinCodeForm(
        request.POST or None if "code" in request.POST else None,
        initial={"code": request.GET.get("code", "")},
    )
    school_class = None
    minutes = throttles.blocked_minutes(guesses)
    code = request.POST.get("code") if request.method == "POST" else None
    if minutes and request.method == "POST":
        messages.error(request, too_many_attempts_message(minutes))
        return render(request, "classes/join.html", {"code_form": code_form, "blocked": minutes}, status=429)
    if code is not None:
        school_class = services.find_class_by_code(code)
        if school_class is None:
            for guess in guesses:
                guess.fail()
            code_form.add_error(
                "code",
                _("This code does not open a class. Check it, or ask your teacher whether it has expired."),
            )
            return render(request, "classes/join.html", {"code_form": code_form}, status=400)
    if school_class is None:
        return render(request, "classes/join.html", {"code_form": code_form})

    if request.user.is_authenticated:
        if request.POST.get("confirm"):
            try:
                services.join_existing_student(school_class, request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("classes:join")
            messages.success(request, _("You joined %(name)s.") % {"name": school_class.name})
            return redirect("classes:my_courses")
        return render(
            request,
            "classes/join_confirm.html",
            {"school_class": school_class, "code": school_class.join_code},
        )

    student_form = NewStudentForm(request.POST if "display_name" in request.POST else None)
    if student_form.is_bound and student_form.is_valid():
        # A leaked code makes a class's worth of accounts, not hundreds.
        accounts = throttles.join_code_throttle(school_class.join_code)
        minutes = accounts.blocked_minutes()
        if minutes:
            messages.error(request, too_many_attempts_message(minutes))
            return render(
                request, "classes/join.html", {"code_form": code_form, "blocked": minutes}, status=429
            )
        accounts.fail()
        with transaction.atomic():
            student = services.join_new_student(
                school_class,
                display_name=student_form.cleaned_data["display_name"],
                password=student_form.cleaned_data["password1"],
            )
        login(request, student, backend="courses.classes.backends.ThrottledModelBackend")
        return render(request, "classes/joined.html", {"school_class": school_class, "student": student})
    return render(
        request,
        "classes/join_account.html",
        {"school_class": school_class, "code": school_class.join_code, "form": student_form},
    )


@login_required
def my_courses(request):
    if request.user.must_change_password:
        # A first password from the teacher's sheet is known to others: change it before going on.
        messages.info(request, _("Choose your own password first."))
        return redirect("accounts:password_change")
    entries = services.my_courses(request.user)
    classes = (
        Membership.objects.active()
        .filter(student=request.user)
        .select_related("school_class")
        .order_by("joined_at")
    )
    return render(
        request,
        "classes/my_courses.html",
        {
            "entries": entries,
            "memberships": classes,
            "can_delete_my_data": policy.can_erase_student(request.user, request.user),
        },
    )


@login_required
def delete_my_data(request):
    """ "Delete my data": the student erases their own account's personal data, then is logged out."""
    if not policy.can_erase_student(request.user, request.user):
        raise PermissionDenied
    form = DeleteMyDataForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.erase_my_data(request.user)
        logout(request)
        messages.success(request, _("Your personal data was deleted. Goodbye!"))
        return redirect("/")
    return render(request, "classes/delete_my_data.html", {"form": form})


@login_required
@require_POST
def leave(request, pk):
    school_class = get_object_or_404(SchoolClass, pk=pk)
    if not policy.can_leave(request.user, school_class) or not services.leave_class(
        school_class, request.user
    ):
        raise PermissionDenied
    messages.success(request, _("You left %(name)s. Your progress is kept.") % {"name": school_class.name})
    return redirect("classes:my_courses")


# ---------------------------------------------------------------- progress (fetch or plain form post)


def _wants_json(request):
    return request.headers.get("Accept", "").startswith("application/json")


def _back(request, lesson_id):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    page = LessonPage.objects.filter(pk=lesson_id).first()
    return redirect(page.url if page else "classes:my_courses")


def _progress_view(action):
    @login_required
    @require_POST
    def view(request, lesson_id):
        if not policy.can_record_progress(request.user):
            raise PermissionDenied
        try:
            payload = action(request, lesson_id)
        except LessonPage.DoesNotExist as exc:
            raise Http404 from exc
        except (ValidationError, ValueError) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            if _wants_json(request):
                return JsonResponse({"error": message}, status=400)
            return HttpResponseBadRequest(message)
        if _wants_json(request):
            return JsonResponse(payload)
        return _back(request, lesson_id)

    return view


def _done_flag(request):
    return request.POST.get("done", "1") not in {"0", "false", ""}


def _mark_step(request, lesson_id):
    step_id = request.POST.get("step", "")
    done = _done_flag(request)
    services.mark_step(request.user, lesson_id, step_id, done=done)
    return {"step": step_id, "done": done}


def _mark_steps_form(request, lesson_id):
    """The no-JavaScript form: all checkboxes at once (ticked ones are sent, the rest are cleared)."""
    complete = request.POST["complete"] != "0" if "complete" in request.POST else None
    steps = services.save_ticks(request.user, lesson_id, request.POST.getlist("steps"), complete=complete)
    return {"steps": steps}


def _complete(request, lesson_id):
    done = _done_flag(request)
    services.complete_lesson(request.user, lesson_id, done=done)
    return {"complete": done}


def _answer(request, lesson_id):
    question = request.POST.get("question", "")
    correct, first_try = services.answer_question(
        request.user, lesson_id, question, int(request.POST.get("choice", "-1"))
    )
    return {
        "correct": correct,
        "first_try": first_try,
        **services.answer_reveal(request.user, lesson_id, question),
    }


mark_step = _progress_view(_mark_step)
mark_steps_form = _progress_view(_mark_steps_form)
complete_lesson = _progress_view(_complete)
answer = _progress_view(_answer)
