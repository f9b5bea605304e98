from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("<int:lesson_id>/save/", views.save, name="save"),
    path("code/<int:workspace_id>/", views.code, name="code"),
]
