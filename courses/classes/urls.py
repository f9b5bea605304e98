from django.urls import path, re_path

from . import views

app_name = "classes"
urlpatterns = [
    path("", views.class_list, name="class_list"),
    path("new/", views.class_create, name="class_create"),
    path("join/", views.join, name="join"),
    path("my/", views.my_courses, name="my_courses"),
    path("my/delete/", views.delete_my_data, name="delete_my_data"),
    path("<int:pk>/", views.class_detail, name="class_detail"),
    path("<int:pk>/join-sheet/", views.join_sheet, name="join_sheet"),
    path("<int:pk>/code/", views.rotate_code, name="rotate_code"),
    path("<int:pk>/teachers/", views.add_teacher, name="add_teacher"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/courses/<int:course_id>/due/", views.due_dates, name="due_dates"),
    path("<int:pk>/courses/<int:course_id>/", views.dashboard, name="dashboard"),
    re_path(
        r"^(?P<pk>\d+)/courses/(?P<course_id>\d+)/export\.(?P<fmt>csv|xlsx)$", views.export, name="export"
    ),
    path("<int:pk>/students/new/", views.bulk_create, name="bulk_create"),
    path("<int:pk>/students/new/<uuid:job_id>/", views.bulk_sheet, name="bulk_sheet"),
    path("<int:pk>/students/<int:user_id>/password/", views.reset_password, name="reset_password"),
    path("<int:pk>/students/<int:user_id>/delete/", views.delete_student, name="delete_student"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("progress/<int:lesson_id>/step/", views.mark_step, name="mark_step"),
    path("progress/<int:lesson_id>/steps/", views.mark_steps_form, name="mark_steps_form"),
    path("progress/<int:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path("progress/<int:lesson_id>/answer/", views.answer, name="answer"),
]
