from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import policy, views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("flash/batch/", views.batch, name="firmware_batch")]


class BatchFlashMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may_flash_kits(request.user)


@hooks.register("register_maker_room_menu_item")
def batch_flash_menu_item():
    return BatchFlashMenuItem(_("Batch flashing"), reverse_lazy("firmware_batch"), icon_name="cogs", order=0)
