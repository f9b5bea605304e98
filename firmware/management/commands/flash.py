import shlex

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from makerroom_flash import i18n
from makerroom_flash.cli import add_flash_arguments, run_flash

from firmware.library import SITE_LESSONS
from firmware.policy import may_flash_kits as can_flash
from firmware.recording import SiteKits, recorder_for


class Command(BaseCommand):
    """The host tools speak Django's active language here (settings.LANGUAGE_CODE unless activated)."""

    @property
    def help(self):
        return _("Flash a lesson onto ESP32 boards and record them against kits")

    def add_arguments(self, parser):
        with i18n.override(translation.get_language()):
            add_flash_arguments(parser)
        parser.add_argument(
            "--user",
            required=True,
            help=_("username of the lab staff member flashing (recorded with each board)"),
        )

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist as exc:
            raise CommandError(_("no such user: %(username)s") % {"username": options["user"]}) from exc
        if not can_flash(user):
            raise CommandError(_("%(username)s is not lab staff of a school") % {"username": user.username})

        class Options:
            pass

        opts = Options()
        for key, value in options.items():
            setattr(opts, key, value)
        with i18n.override(translation.get_language()):
            code = run_flash(
                opts,
                recorder=recorder_for(user),
                library=SITE_LESSONS,
                kit_book=SiteKits(user),
                program=shlex.join(["python", "manage.py", "flash", "--user", user.username]),
            )
        if code:
            raise CommandError(
                _("some boards failed") if code == 1 else _("refused, no board touched"), returncode=code
            )
