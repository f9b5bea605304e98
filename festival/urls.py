from django.urls import path

from .views import judge, mentor, organiser, public, team

app_name = "festival"
urlpatterns = [
    path("entries/", team.my_entries, name="my_entries"),
    path("editions/<int:edition_pk>/enter/", team.entry_create, name="entry_create"),
    path("entries/<int:pk>/", team.entry_detail, name="entry"),
    path("entries/<int:pk>/edit/", team.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/action/", mentor.entry_action, name="entry_action"),
    path("entries/<int:pk>/photos/", team.photo_add, name="photo_add"),
    path("entries/<int:pk>/photos/<int:photo_pk>/delete/", team.photo_delete, name="photo_delete"),
    path("entries/<int:pk>/members/<int:member_pk>/consent/", mentor.consent, name="consent"),
    path("entries/<int:pk>/certificate.pdf", team.certificate, name="certificate"),
    path("photos/<int:photo_pk>/", public.photo_file, name="photo"),
    path("verify/<uuid:token>/", public.verify, name="verify"),
    path("score/", judge.judge_home, name="judge_home"),
    path("score/<int:assignment_pk>/", judge.score, name="score"),
    path("organise/<int:edition_pk>/", organiser.organise, name="organise"),
    path("organise/<int:edition_pk>/assign/", organiser.compute_assignment, name="compute_assignment"),
    path("organise/<int:edition_pk>/assignments/", organiser.assignments, name="assignments"),
    path("organise/<int:edition_pk>/results/", organiser.results, name="results"),
    path("organise/<int:edition_pk>/results/publish/", organiser.publish_results, name="publish_results"),
    path("organise/<int:edition_pk>/results/withdraw/", organiser.withdraw_results, name="withdraw_results"),
    path("organise/<int:edition_pk>/results.xlsx", organiser.results_export, name="results_export"),
    path("organise/<int:edition_pk>/certificates.zip", organiser.certificates_zip, name="certificates_zip"),
    path("gallery/", public.gallery, name="gallery"),
    path("gallery/<int:pk>/", public.gallery_entry, name="gallery_entry"),
]
