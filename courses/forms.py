"""Admin page forms: a course belongs to the editing teacher's school."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from makerroom.core import roles
from makerroom.core.models import School
from wagtail.admin.forms import WagtailAdminPageForm

from .programs import program_choices
from .slugs import PinyinSlugForm


class CoursePageForm(PinyinSlugForm, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        teachers = get_user_model().objects.filter(groups__role__code=roles.Role.TEACHER).order_by("username")
        if user is not None and not user.is_superuser:
            # A teacher writes for their own school; the school is not theirs to choose.
            self.fields["school"].queryset = School.objects.filter(pk=user.school_id)
            self.fields["school"].empty_label = None
            teachers = teachers.filter(school_id=user.school_id)
        if user is not None and not self.instance.pk:
            self.initial.setdefault("school", user.school_id)
            self.initial.setdefault("authors", [user.pk])
        self.fields["authors"].queryset = (
            teachers | get_user_model().objects.filter(pk__in=self.initial.get("authors") or [])
        ).distinct()
        self.fields["authors"].widget = forms.CheckboxSelectMultiple(choices=self.fields["authors"].choices)
        self.fields["authors"].label_from_instance = lambda user: user.public_name


class LessonPageForm(PinyinSlugForm, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are the program folders present now, never a list frozen in a migration.
        self.fields["program"].widget = forms.Select(choices=program_choices())

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("prerequisite_links")
        if formset is not None and self.instance.pk:
            for form in formset.forms:
                prerequisite = (
                    form.cleaned_data.get("prerequisite") if hasattr(form, "cleaned_data") else None
                )
                if prerequisite is not None and prerequisite.pk == self.instance.pk:
                    form.add_error("prerequisite", _("A lesson cannot be its own prerequisite."))
        return cleaned_data
