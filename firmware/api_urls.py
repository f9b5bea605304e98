from django.urls import path

from . import api

app_name = "firmware_api"

urlpatterns = [
    path("lessons/<slug:slug>/bundle/", api.lesson_bundle, name="lesson_bundle"),
    path("flashes/", api.record_flash, name="record_flash"),
    path("kits/", api.kits, name="kits"),
]
