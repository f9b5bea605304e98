"""The workflow steps on an entry's page (the mentor approves or returns, the team submits, an
organiser accepts or disqualifies: services.TRANSITIONS and policy.may_act say who) and the
mentor's record of guardian consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy, services
from ..forms import CommentForm
from ..models import TeamMember
from .common import errors, get_entry


@login_required
@require_POST
def entry_action(request, pk):
    entry = get_entry(pk)
    if not policy.may_view_entry(request.user, entry):
        raise PermissionDenied
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        services.transition(
            entry,
            request.POST.get("action", ""),
            user=request.user,
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as exc:
        for message in errors(exc):
            messages.error(request, message)
    else:
        entry.refresh_from_db()
        messages.success(request, _("The entry is now: %(state)s.") % {"state": entry.get_state_display()})
    # The organiser's dashboard sends people back to itself.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("festival:entry", pk=entry.pk)


@login_required
@require_POST
def consent(request, pk, member_pk):
    member = get_object_or_404(TeamMember.objects.select_related("entry"), pk=member_pk, entry_id=pk)
    services.set_consent(member, request.POST.get("consent") == "yes", user=request.user)
    return redirect("festival:entry", pk=pk)
