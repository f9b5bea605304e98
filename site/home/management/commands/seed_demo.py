from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from makerroom.home import demo

# The site first, then each app in dependency order; an app joins by having a `demo.py`
# with `seed(context)`.
DEMO_APPS = ["kits", "courses", "courses.classes", "festival", "firmware"]


class Command(BaseCommand):
    help = "Create or refresh the Chinese demo site. Safe to run again: it updates, never duplicates."

    @transaction.atomic
    def handle(self, *args, **options):
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
        self.stdout.write("  网站 Site:   http://127.0.0.1:8000/   (English: /en/)")
        self.stdout.write("  后台 Admin:  http://127.0.0.1:8000/admin/")
        users = ", ".join(sorted(context.users))
        self.stdout.write(f"  账号 Users:  {users}")
        self.stdout.write(f"  密码 Password (all demo users): {settings.DEMO_PASSWORD}")
