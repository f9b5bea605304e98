from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage

from . import services
from .models import SchoolClass


class SchoolClassForm(forms.ModelForm):
    class Meta:
        model = SchoolClass
        fields = ["name", "grade", "school_year"]

    def clean_school_year(self):
        value = self.cleaned_data["school_year"].strip()
        parts = value.split("-")
        if (
            len(parts) != 2
            or not all(p.isdigit() and len(p) == 4 for p in parts)
            or int(parts[1]) != int(parts[0]) + 1
        ):
            raise ValidationError(_("Write the school year as 2026-2027."))
        return value


class JoinCodeForm(forms.Form):
    code = forms.CharField(label=_("Class code"), max_length=20)


class NewStudentForm(forms.Form):
    """A child's new account: a display name (not their full name) and a password. No e-mail."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=services.DISPLAY_NAME_MAX,
        help_text=_("Shown to your class. A nickname is fine; you don't need your full name."),
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class BulkStudentsForm(forms.Form):
    names = forms.CharField(
        label=_("Names, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Display names the class will see; nicknames or given names are enough."),
    )
    sheet = forms.FileField(
        label=_("Or an Excel file (.xlsx)"),
        required=False,
        help_text=_("Names in the first column of the first sheet; a header 姓名 is skipped."),
    )

    def clean(self):
        data = super().clean()
        if data.get("sheet"):
            if not data["sheet"].name.lower().endswith(".xlsx"):
                raise ValidationError(_("The file is not an Excel workbook (.xlsx)."))
            names, errors = services.names_from_xlsx(data["sheet"])
        else:
            names, errors = services.names_from_text(data.get("names"))
        if errors:
            raise ValidationError(errors)
        data["parsed_names"] = names
        return data


class AddTeacherForm(forms.Form):
    username = forms.CharField(label=_("Teacher's username"), max_length=150)


class AssignCourseForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().public().order_by("title")


class DeleteMyDataForm(forms.Form):
    """The student confirms with their password: a classmate at an unlocked computer cannot do it."""

    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."))
        return password
