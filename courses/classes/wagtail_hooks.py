"""Teachers write lessons in the Wagtail admin; a menu item takes them to their classes on the site."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import policy


class ClassesMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.can_create_class(request.user)


@hooks.register("register_admin_menu_item")
def register_classes_menu_item():
    return ClassesMenuItem(_("My classes"), reverse("classes:class_list"), icon_name="group", order=250)
