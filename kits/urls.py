from django.urls import path

from . import views

app_name = "kits"
urlpatterns = [
    path("assets/<str:tag>/", views.asset, name="asset"),
    path("reservations/", views.reservations, name="reservations"),
]
