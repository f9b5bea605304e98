from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from makerroom.core import roles
from makerroom.core.pinyin import search_text

from . import photos
from .models import Entry, Judge
from .rules import current_class_names, fitting_age_group

User = get_user_model()


class TeamPicker(forms.CheckboxSelectMultiple):
    """The team's classmates as tick boxes, each named by display name and class; with JavaScript a
    search box above filters them by either, or by their pinyin (festival/team_picker.js). Without
    it the whole list works as it is."""

    template_name = "festival/widgets/team_picker.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-search"] = search_text(str(label))  # and its pinyin: "xiaoyu", "xy"
        return option


class EntryForm(forms.ModelForm):
    """The team and the project. Team members and mentor are chosen from the school of the
    student who registers (the service checks every rule again)."""

    teammates = forms.ModelMultipleChoiceField(
        label=_("Team members"),
        queryset=User.objects.none(),
        required=False,
        widget=TeamPicker,
        help_text=_("Up to 4 classmates besides you; shown publicly by display name only."),
    )

    # Students paste links without a scheme; assume https.
    video_url = forms.URLField(label=_("video link"), required=False, assume_scheme="https")
    code_url = forms.URLField(label=_("code or files link"), required=False, assume_scheme="https")

    class Meta:
        model = Entry
        fields = [
            "title",
            "category",
            "age_group",
            "mentor",
            "description",
            "what_it_does",
            "how_made",
            "video_url",
            "code_url",
            "licence",
            "lessons",
            "kit_templates",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "what_it_does": forms.Textarea(attrs={"rows": 4}),
            "how_made": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.CheckboxSelectMultiple,
            "kit_templates": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, edition, school, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.all()
        self.fields["age_group"].queryset = edition.age_groups.all()
        self.fields["mentor"].queryset = User.objects.filter(
            school=school, groups__role__code=roles.Role.TEACHER
        ).order_by("display_name")
        self.fields["mentor"].label_from_instance = lambda u: u.public_name
        self.fields["teammates"].queryset = (
            User.objects.filter(school=school, groups__role__code=roles.Role.STUDENT)
            .exclude(pk=owner.pk)
            .order_by("display_name")
        )
        classes = current_class_names(self.fields["teammates"].queryset.values("pk"))
        self.fields["teammates"].label_from_instance = lambda u: (
            f"{u.public_name} · {classes[u.pk]}" if u.pk in classes else u.public_name
        )
        from courses.models import LessonPage

        self.fields["lessons"].queryset = LessonPage.objects.live().public().order_by("title")
        self.fields["lessons"].required = False
        self.fields["kit_templates"].required = False
        if not self.instance.pk and not self.is_bound:
            self.fields["age_group"].initial = fitting_age_group(edition, owner)
        if self.instance.pk:
            self.fields["teammates"].initial = [
                m.student_id for m in self.instance.members.all() if m.student_id != owner.pk
            ]


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"))
    alt_text = forms.CharField(label=_("What the photo shows"), max_length=200)
    # Starts ticked (fails closed): a photo of children stays private until someone says it shows none.
    shows_people = forms.BooleanField(
        label=_("People can be recognised in this photo"),
        required=False,
        initial=True,
        help_text=_(
            "Untick only if nobody can be recognised; otherwise it is public only with every guardian's consent."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        image = self.fields["image"]
        image.help_text = _("%(formats)s, up to %(size)s MB; location and camera data are removed.") % {
            "formats": photos.ACCEPTED_FORMATS,
            "size": photos.MAX_BYTES // 1024 // 1024,
        }
        image.widget.attrs["accept"] = photos.ACCEPTED_MIME_TYPES


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why are the results withdrawn?"), max_length=500)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=pgettext_lazy("festival", "Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AddJudgeForm(forms.Form):
    judge = forms.ModelChoiceField(label=_("Judge"), queryset=Judge.objects.none())

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = edition.judges.select_related("user").order_by("user__display_name")
