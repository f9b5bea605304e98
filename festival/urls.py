from django.urls import path

from . import views

app_name = "festival"
urlpatterns = [
    path("entries/", views.my_entries, name="my_entries"),
    path("editions/<int:edition_pk>/enter/", views.entry_create, name="entry_create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/action/", views.entry_action, name="entry_action"),
    path("entries/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("entries/<int:pk>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("entries/<int:pk>/members/<int:member_pk>/consent/", views.consent, name="consent"),
    path("entries/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("photos/<int:photo_pk>/", views.photo_file, name="photo"),
    path("verify/<uuid:token>/", views.verify, name="verify"),
    path("score/", views.judge_home, name="judge_home"),
    path("score/<int:assignment_pk>/", views.score, name="score"),
    path("organise/<int:edition_pk>/", views.organise, name="organise"),
    path("organise/<int:edition_pk>/assign/", views.compute_assignment, name="compute_assignment"),
    path("organise/<int:edition_pk>/assignments/", views.assignments, name="assignments"),
    path("organise/<int:edition_pk>/results/", views.results, name="results"),
    path("gallery/", views.gallery, name="gallery"),
    path("gallery/<int:pk>/", views.gallery_entry, name="gallery_entry"),
]
