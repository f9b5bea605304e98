from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from makerroom.core.erasure import ERASED_USERNAME_PREFIX


def _is_cjk(char):
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def anonymous_name(first_name, last_name):
    """A public stand-in for someone without a display name: 李同学 for a Chinese name (the
    surname only, as teachers say it), initials such as "L. W." for a Latin one, else 某同学."""
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if not (first or last):
        return str(_("A student"))
    if _is_cjk((last or first)[0]):
        return f"{(last or first)[0]}同学"
    return " ".join(f"{part[0].upper()}." for part in (first, last) if part)


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
    # Set when a student's personal data was erased (makerroom.core.erasure): the row stays only as a
    # nameless, inactive stand-in so that the anonymous records pointing at it stay valid.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_erased(self):
        """The personal data of this account was erased (it is a nameless stand-in)."""
        if "erased_at" in self.get_deferred_fields():
            # Loaded with .only(): tell from the stand-in's own marks instead of another query.
            return not self.display_name and self.username.startswith(ERASED_USERNAME_PREFIX)
        return self.erased_at is not None

    def __str__(self):
        if self.is_erased:
            return str(_("former student"))
        return self.display_name or self.get_full_name() or self.username

    @property
    def public_name(self):
        """What public pages may show: the display name, never the real full name nor the login
        (student logins are predictable); without a display name `anonymous_name`; an erased
        account shows as "former student"."""
        if self.is_erased:
            return str(_("former student"))
        return self.display_name or anonymous_name(self.first_name, self.last_name)

    def has_role(self, code):
        """Whether the user has the role with this code (makerroom.core.roles.Role)."""
        from makerroom.core.roles import has_role

        return has_role(self, code)
