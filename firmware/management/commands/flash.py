from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from firmware.cli import add_flash_arguments, run_flash
from firmware.recording import can_flash, recorder_for


class Command(BaseCommand):
    help = "给多块 ESP32 开发板烧录课程，并记录到套件 / Flash a lesson onto ESP32 boards and record them against kits"

    def add_arguments(self, parser):
        add_flash_arguments(parser)
        parser.add_argument(
            "--user",
            required=True,
            help="操作的实验室管理员用户名（记录在套件上）/ username of the lab staff member flashing (recorded)",
        )

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"没有这个用户 / no such user: {options['user']}") from exc
        if not can_flash(user):
            raise CommandError(f"{user.username} 不是有学校的实验室管理员 / is not lab staff of a school")

        class Options:
            pass

        opts = Options()
        for key, value in options.items():
            setattr(opts, key, value)
        code = run_flash(opts, recorder=recorder_for(user))
        if code:
            raise CommandError(
                "有板子烧录失败 / some boards failed" if code == 1 else "已停止 / refused", returncode=code
            )
