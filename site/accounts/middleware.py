"""A first password handed out by a teacher must be replaced before the student does anything else."""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve

# What a user with a first password may still reach: the change form itself, logging out, switching language.
ALLOWED_VIEWS = {"accounts:password_change", "accounts:logout", "set_language"}
SKIP_PREFIXES = ("/static/", "/media/")


class FirstPasswordMiddleware:
    """Goes after AuthenticationMiddleware. Anonymous visitors cost nothing: the session is not read
    unless its cookie is there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_change_first(request):
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _must_change_first(request):
        if request.path_info.startswith(SKIP_PREFIXES):
            return False
        user = request.user
        if not (user.is_authenticated and user.must_change_password):
            return False
        try:
            return resolve(request.path_info).view_name not in ALLOWED_VIEWS
        except Resolver404:
            return True
