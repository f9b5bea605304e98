from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from makerroom.home import demo
from makerroom.home.templatetags.navigation import start_page

SITE = "http://127.0.0.1:8000"

# The site first, then each app in dependency order; an app joins by having a `demo.py`
# with `seed(context)`.
DEMO_APPS = ["kits", "courses", "courses.classes", "festival", "firmware"]


class Command(BaseCommand):
    help = "Create or refresh the Chinese demo site. Safe to run again: it updates, never duplicates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with production settings (demo accounts share one known password).",
        )

    def handle(self, *args, **options):
        # Demo accounts (admin included) with one shared password must never appear on a real site by accident.
        if getattr(settings, "MAKERROOM_ENVIRONMENT", "") == "production" and not options["allow_production"]:
            raise CommandError(
                "seed_demo creates accounts with a shared password: refusing with production settings "
                "(pass --allow-production to seed a demo server on purpose)."
            )
        if not settings.DEMO_PASSWORD:
            raise CommandError("Set DEMO_PASSWORD in the environment: the demo accounts need a password.")
        self._seed()

    @transaction.atomic
    def _seed(self):
        context = demo.seed()
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.seed(context)
        for line in context.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / Demo data ready."))
        self.stdout.write(f"  网站 Site:   {SITE}/   (English: /en/)")
        self.stdout.write(f"  后台 Admin:  {SITE}/admin/")
        self.stdout.write(f"  密码 Password (all demo users): {settings.DEMO_PASSWORD}")
        self.stdout.write(
            "  账号 Users — 角色做什么，登录后从哪里开始 / what the role does, where it starts:"
        )
        for line in account_lines(context.users):
            self.stdout.write(line)


def account_lines(users):
    """Two lines per demo account: the role's work in Chinese and English, and its start page."""
    lines = []
    for username, user in sorted(users.items()):
        role = demo.role_of(user)
        with translation.override("zh-hans"):
            duty_zh, start = str(demo.ROLE_DUTIES[role]), start_page(user)
        with translation.override("en"):
            duty_en = str(demo.ROLE_DUTIES[role])
        lines.append(f"    {username:<12} {user.display_name}：{duty_zh}")
        lines.append(f"    {'':<12} {duty_en}")
        lines.append(f"    {'':<12} → {SITE}{start}")
    return lines
