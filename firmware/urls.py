from django.urls import path, re_path

from . import views

app_name = "firmware"

urlpatterns = [
    path("lessons/<slug:slug>/manifest/", views.manifest, name="manifest"),
    re_path(r"^base/(?P<sha256>[0-9a-f]{64})\.bin$", views.base_image, name="base_image"),
    re_path(
        r"^lessons/(?P<slug>[-\w]+)/(?P<version>[-\w.]+)/(?P<sha256>[0-9a-f]{64})/(?P<megabytes>\d+)MB\.bin$",
        views.lesson_image,
        name="lesson_image",
    ),
    path("record/", views.record_board, name="record"),
    path("kits/", views.kits, name="kits"),
]
