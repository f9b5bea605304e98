from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import APIToken

from firmware.policy import may_flash_kits as can_flash


class Command(BaseCommand):
    help = "为实验室管理员生成远程烧录令牌 / Create an API token for `makerroom-flash --server … --token …`"

    def add_arguments(self, parser):
        parser.add_argument("username", help="实验室管理员用户名 / lab staff username")
        parser.add_argument("--name", default="makerroom-flash", help="令牌名称 / token label")

    def handle(self, *args, username, name, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"没有这个用户 / no such user: {username}") from exc
        if not can_flash(user):
            raise CommandError(f"{username} 不是有学校的实验室管理员 / is not lab staff of a school")
        _token, plaintext = APIToken.create_token(user=user, name=name)
        # Shown once: only a digest is stored.
        self.stdout.write(plaintext)
