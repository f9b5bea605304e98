from django.urls import include, path

from . import views

app_name = "courses"
urlpatterns = [
    path("programs/<slug:slug>.zip", views.program_zip, name="program_zip"),
    path("workspace/", include("courses.workspace.urls")),
]
