"""Small helpers the festival views share."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ..models import Entry, FestivalEditionPage


def errors(exc):
    """The messages of a ValidationError or PermissionDenied, for the messages framework."""
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def get_entry(pk):
    return get_object_or_404(
        Entry.objects.select_related("edition", "category", "age_group", "school", "mentor", "award"), pk=pk
    )


def get_edition(pk):
    return get_object_or_404(FestivalEditionPage, pk=pk)
