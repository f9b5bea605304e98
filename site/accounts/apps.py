from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "makerroom.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from makerroom.core.roles import sync_role_permissions

        # Runs after every app's permissions exist (this app is last in INSTALLED_APPS).
        post_migrate.connect(sync_role_permissions, sender=self, dispatch_uid="makerroom-sync-roles")
