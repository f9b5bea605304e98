import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from makerroom_flash import i18n
from makerroom_flash.cli import run_firmware
from rich.console import Console


class Command(BaseCommand):
    """The site's firmware store (settings.MAKERROOM_FIRMWARE_STORE), which lesson pages and the
    batch flashing page flash from: the same checks and listing as `makerroom-flash firmware`."""

    @property
    def help(self):
        return _("Add, list or verify the MicroPython base firmware the site flashes from the browser")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help=_("add a firmware file downloaded from micropython.org"))
        add.add_argument("file")
        add.add_argument("--name", default="")
        actions.add_parser("list")
        actions.add_parser("verify")

    def handle(self, *args, **options):
        opts = argparse.Namespace(
            store=str(settings.MAKERROOM_FIRMWARE_STORE),
            action=options["action"],
            file=options.get("file"),
            name=options.get("name") or "",
        )
        with i18n.override(translation.get_language()):
            code = run_firmware(opts, Console(file=self.stdout, soft_wrap=True))
        if code:
            raise CommandError(_("the firmware store has problems"), returncode=code)
