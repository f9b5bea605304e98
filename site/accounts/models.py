from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who logs in. Students are minors: we keep the least data (display name, school)
    and never need an e-mail address."""

    display_name = models.CharField(
        _("display name"), max_length=40, blank=True, help_text=_("Shown to classmates; no full name needed.")
    )
    school = models.ForeignKey(
        "core.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for first passwords handed out by a teacher."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def public_name(self):
        """What public pages may show: the display name, never the real full name."""
        return self.display_name or self.username

    def has_role(self, code):
        """Whether the user has the role with this code (makerroom.core.roles.Role)."""
        from makerroom.core.roles import has_role

        return has_role(self, code)
