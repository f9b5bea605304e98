"""The public: the gallery across editions, an entry's public page, photo files (consent is
checked on every request) and the certificate verification page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from makerroom.core import private_files

from .. import policy
from ..gallery import gallery_context, public_entries, public_photos
from ..models import Entry, EntryPhoto, EntryState


def gallery(request):
    return render(request, "festival/gallery.html", gallery_context(request))


def gallery_entry(request, pk):
    entry = get_object_or_404(public_entries(), pk=pk)
    return render(
        request,
        "festival/gallery_entry.html",
        {
            "entry": entry,
            "photos": public_photos(entry),
            "award": policy.shown_award(entry),
            "team": [m.student.public_name for m in entry.members.all()],
            "share_url": request.build_absolute_uri(),
        },
    )


def photo_file(request, photo_pk):
    """Photos are asked for here so that unconsented or unpublished photos stay private; the bytes
    come from the store (a signed URL) or the proxy where there is one (core.private_files)."""
    photo = get_object_or_404(EntryPhoto.objects.select_related("entry__edition"), pk=photo_pk)
    if not policy.may_view_photo(request.user, photo):
        raise Http404
    return private_files.serve(photo.image)


def verify(request, token):
    entry = get_object_or_404(
        Entry.objects.select_related("edition", "school", "award").prefetch_related("members__student"),
        token=token,
        state=EntryState.ACCEPTED,
        edition__results_published=True,
    )
    return render(
        request,
        "festival/verify.html",
        {
            "entry": entry,
            "award": policy.shown_award(entry),
            "team": [m.student.public_name for m in entry.members.all()],
        },
    )
