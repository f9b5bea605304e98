from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from makerroom.home.templatetags.navigation import home_url, start_page


class LoginView(auth_views.LoginView):
    """Logs in and lands each role on its own start page (navigation.start_page): lab staff on their
    grant dashboard, a judge on judging, a student on 我的课程… A `next` page wins, except the
    home page, which is where the header's login link starts from and no role's work."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        if self.request.user.must_change_password:
            return str(reverse_lazy("accounts:password_change"))
        return super().get_success_url()

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url in ("/", home_url()) else url

    def get_default_redirect_url(self):
        return start_page(self.request.user)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.user.must_change_password:
            form.user.must_change_password = False
            form.user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response
