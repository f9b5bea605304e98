"""Password guessing is throttled per username and client address: after LOGIN_LIMIT wrong
passwords from one address, that username refuses logins from that address for the rest of the
window (the login page says how long to wait); the child still logs in from anywhere else."""

from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import ngettext
from makerroom.core import roles
from makerroom.core.throttle import client_ip, login_throttle


def too_many_attempts_message(minutes):
    return ngettext(
        "Too many attempts. Wait %(minutes)d minute and try again.",
        "Too many attempts. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        throttle = login_throttle(username, client_ip(request) if request is not None else None)
        minutes = throttle.blocked_minutes()
        if minutes:
            if request is not None and hasattr(request, "_messages"):
                messages.error(request, too_many_attempts_message(minutes))
            raise PermissionDenied  # stops every backend: not even the right password gets in now
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.fail()
        else:
            throttle.reset()
        return user

    def get_all_permissions(self, user_obj, obj=None):
        # The user's permissions and roles in one query (makerroom.core.roles.load_access) instead
        # of Django's two for permissions and another for the roles.
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and not hasattr(user_obj, "_perm_cache")
        ):
            roles.load_access(user_obj)
        return super().get_all_permissions(user_obj, obj)
