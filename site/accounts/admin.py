from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("MakerRoom"), {"fields": ("display_name", "school", "must_change_password")}),
    )
    list_display = ("username", "display_name", "school", "is_staff")
    list_filter = ("groups", "school", "is_staff")
