"""Admin screens beyond plain lists: the grant dashboard, the city report, exports, the purchase
import, asset labels, lending and returns, and stocktakes. Thin: rules live in kits.services."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from makerroom.core import jobs
from makerroom.core.models import School

from . import export_jobs, exports, import_jobs, imports, labels, policy, services
from .forms import ApprovalForm, ImportForm, LendForm, ReturnForm, ScanForm, StocktakeForm
from .models import Asset, Grant, GrantStatus, Kit, Loan, Purchase, Stocktake


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _school_for(request):
    """The school a screen is about: the user's own, or ?school=<code> for city-wide users."""
    code = request.GET.get("school")
    if code and policy.sees_all_schools(request.user):
        return get_object_or_404(School, code=code)
    if request.user.school_id is None:
        if policy.sees_all_schools(request.user):
            return None
        raise PermissionDenied
    return request.user.school


def _errors_to_form(form, error):
    for field, msgs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


def dashboard(request):
    _require(request, "kits.view_grant")
    school = _school_for(request)
    if school is None:
        return redirect("kits_admin:city_report")
    data = services.grant_dashboard(school)
    top = max((row["subsidy"] for row in data["by_category"]), default=0)
    for row in data["by_category"]:
        row["percent"] = int(row["subsidy"] * 100 / top) if top else 0
    return render(
        request,
        "kits/admin/dashboard.html",
        {
            **data,
            "can_change": policy.purchases.may_act_in(request.user, "add", school.pk),
            "can_approve": policy.grants.may_approve(request.user),
            "school_query": _query(request),
        },
    )


def grant_approval(request, pk):
    """The city coordinator approves a grant, changes its approved amount or closes it."""
    grant = get_object_or_404(
        policy.grants.scope(request.user, Grant.objects.select_related("programme", "room__school")), pk=pk
    )
    policy.grants.check_approve(request.user, grant)
    initial = {
        "approved_amount": grant.approved_amount or grant.requested_amount,
        "reference": grant.reference,
    }
    form = ApprovalForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if "close" in request.POST:
                services.close_grant(grant, user=request.user)
                messages.success(request, _("%(grant)s is closed.") % {"grant": grant})
                return redirect(f"{reverse('kits_admin:dashboard')}?school={grant.room.school.code}")
            if form.is_valid():
                services.approve_grant(
                    grant,
                    amount=form.cleaned_data["approved_amount"],
                    reference=form.cleaned_data["reference"],
                    user=request.user,
                )
                messages.success(request, _("%(grant)s is approved.") % {"grant": grant})
                return redirect(f"{reverse('kits_admin:dashboard')}?school={grant.room.school.code}")
        except ValidationError as error:
            _errors_to_form(form, error)
    return render(
        request,
        "kits/admin/approve.html",
        {
            "grant": grant,
            "form": form,
            "cap_left": services.school_cap_left(grant.programme, grant.room.school_id),
            "can_close": grant.status == GrantStatus.APPROVED,
        },
    )


def _query(request):
    return f"?school={request.GET['school']}" if request.GET.get("school") else ""


def city_report(request):
    if not policy.reads_every_school_report(request.user):
        raise PermissionDenied
    rows, cap = export_jobs.city_table()
    file_format = request.GET.get("format")
    if file_format == "xlsx" and len(rows) > export_jobs.CITY_XLSX_ROWS_IN_REQUEST:
        job = jobs.start(request.user, export_jobs.city_report_xlsx_job, _("City report (XLSX)"))
        return redirect(job)
    if file_format in ("xlsx", "csv"):
        return exports.respond(
            exports.CITY_COLUMNS, exports.city_rows(rows, cap), export_jobs.CITY_FILENAME, file_format
        )
    totals = {
        "approved": sum((r["approved"] or 0) for r in rows),
        "charged": sum((r["charged"] or 0) for r in rows),
        "schools": len(rows),
    }
    page = Paginator(rows, 100).get_page(
        request.GET.get("p")
    )  # a page renders fast; exports hold every school
    for row in page.object_list:
        row["left"] = (row["approved"] or 0) - (row["charged"] or 0)
        row["percent"] = int((row["charged"] or 0) * 100 / row["approved"]) if row["approved"] else 0
    return render(
        request,
        "kits/admin/city_report.html",
        {"rows": page.object_list, "page": page, "cap": cap, "totals": totals},
    )


def purchases_export(request):
    _require(request, "kits.view_purchase")
    school = _school_for(request)
    if school is None:  # a city-wide user without ?school=: every school is in the city report
        return redirect("kits_admin:city_report")
    purchases = (
        Purchase.objects.filter(grant__room__school=school)
        .select_related("tool_type__category", "grant__programme")
        .order_by("purchased_on", "pk")
    )
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return exports.respond(
        exports.PURCHASE_COLUMNS, exports.purchase_rows(purchases), f"purchases-{school.code}", file_format
    )


def purchase_import(request):
    """Upload a sheet: a preview (rows, subsidy per row, totals, what is left of the grant after);
    it is saved only when the user confirms that preview."""
    _require(request, "kits.add_purchase")
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm_import(request)
    result = None
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload, grant = form.cleaned_data["file"], form.cleaned_data["grant"]
        import_jobs.prune_pending()  # previews never confirmed leave their file behind
        result = imports.preview_purchases(upload, upload.name, grant=grant, user=request.user)
        if result.ok:
            ext = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
            upload.seek(0)
            path = import_jobs.PENDING.format(user=request.user.pk, sha=result.sha256, ext=ext)
            default_storage.delete(path)
            default_storage.save(path, ContentFile(upload.read()))
            return render(
                request,
                "kits/admin/import_preview.html",
                {"result": result, "grant": grant, "ext": ext, "filename": upload.name},
            )
    return render(request, "kits/admin/import.html", {"form": form, "result": result})


def _confirm_import(request):
    sha, ext = request.POST.get("sha256", ""), request.POST.get("ext", "")
    if not re.fullmatch(r"[0-9a-f]{64}", sha) or ext not in ("xlsx", "csv"):
        raise Http404
    grant = get_object_or_404(
        policy.grants.scope(request.user, Grant.objects.select_related("room"), action="change"),
        pk=request.POST.get("grant") if str(request.POST.get("grant", "")).isdigit() else None,
    )
    path = import_jobs.PENDING.format(user=request.user.pk, sha=sha, ext=ext)
    if not default_storage.exists(path):
        messages.error(request, _("The previewed file is gone; upload it again."))
        return redirect("kits_admin:import")
    name = str(request.POST.get("filename") or "")[:200]
    name = name if name.lower().endswith(f".{ext}") else f"import.{ext}"
    # Saved by the worker in batches, with progress and row errors on the job's page.
    return redirect(import_jobs.start(request.user, grant, path, name))


def _pk(request, name):
    value = request.GET[name]
    if not value.isdigit():
        raise Http404
    return int(value)


def asset_labels(request):
    """The label sheet of a selection: ?tags=a,b (the asset list's 打印标签), ?purchase=<pk> (its
    assets), ?kit=<pk> (the assets kept in it), ?unprinted=1 (尚未打印: never printed), ?room=<pk>;
    with none of them, all the school's assets. Only assets the policy lets the user see print."""
    _require(request, "kits.view_asset")
    assets = policy.assets.scope(request.user, Asset.objects.all())
    if request.GET.get("tags"):
        assets = assets.filter(tag__in=[t.strip() for t in request.GET["tags"].split(",")])
    elif request.GET.get("purchase"):
        purchase = get_object_or_404(
            policy.purchases.scope(request.user, Purchase.objects), pk=_pk(request, "purchase")
        )
        assets = assets.filter(purchase=purchase)
    elif request.GET.get("kit"):
        kit = get_object_or_404(policy.kits.scope(request.user, Kit.objects), pk=_pk(request, "kit"))
        assets = assets.filter(kit=kit)
    elif request.GET.get("room"):
        assets = assets.filter(room_id=_pk(request, "room"))
    elif not request.user.school_id:
        raise PermissionDenied  # city-wide users print one room or a list of tags, not the whole city
    if request.GET.get("unprinted"):
        assets = assets.filter(label_printed_at__isnull=True)
    return labels.sheet_response(request, assets)  # more than a few sheets: a job


def lend(request):
    _require(request, "kits.add_loan")
    if request.user.school_id is None:
        raise PermissionDenied
    form = LendForm(request.POST or None, school_id=request.user.school_id, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.lend(
                kit=data["kit"],
                asset=data["asset"],
                borrower_kind=data["borrower_kind"],
                borrower=data["borrower"],
                class_name=data["class_name"],
                due_on=data["due_on"],
                user=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("%(item)s lent to %(who)s.") % {"item": loan.item, "who": loan.borrower_label}
            )
            return redirect("kits_admin:loans")
    return render(request, "kits/admin/lend.html", {"form": form})


def loans(request):
    _require(request, "kits.view_loan")
    queryset = (
        policy.loans.scope(request.user, Loan.objects.all())
        .select_related("kit", "asset__tool_type", "borrower")
        .prefetch_related("missing_parts__tool_type")
    )
    open_loans = queryset.filter(returned_at__isnull=True).order_by("due_on")
    returned = queryset.filter(returned_at__isnull=False).order_by("-returned_at")[:30]
    return render(request, "kits/admin/loans.html", {"open_loans": open_loans, "returned": returned})


def return_loan(request, pk):
    _require(request, "kits.change_loan")
    loan = get_object_or_404(
        policy.loans.scope(request.user, Loan.objects.all(), action="change").select_related(
            "kit__template", "asset"
        ),
        pk=pk,
    )
    form = ReturnForm(request.POST or None, loan=loan)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_loan(
                loan,
                user=request.user,
                condition=form.cleaned_data["condition"],
                missing=form.missing(),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _return_message(loan))
            return redirect("kits_admin:loans")
    return render(request, "kits/admin/return.html", {"form": form, "loan": loan})


def _listed(rows):
    return "、".join(f"{name} ×{count}" for name, count in rows)


def _return_message(loan):
    """ "… is back", and what the room's stock refilled or could not cover."""
    refilled, short = services.refill_report(loan)
    parts = [_("%(item)s is back.") % {"item": loan.item}]
    if refilled:
        parts.append(_("Refilled from stock: %(parts)s.") % {"parts": _listed(refilled)})
    if short:
        parts.append(
            _("Stock could not cover %(parts)s: the kit is marked incomplete.") % {"parts": _listed(short)}
        )
    return " ".join(parts)


def stocktake_start(request):
    _require(request, "kits.add_stocktake")
    form = StocktakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        stocktake = services.start_stocktake(form.cleaned_data["room"], user=request.user)
        return redirect("kits_admin:stocktake", stocktake.pk)
    recent = policy.stocktakes.scope(request.user, Stocktake.objects.all()).select_related("room__school")[
        :20
    ]
    return render(request, "kits/admin/stocktake_start.html", {"form": form, "recent": recent})


def stocktake(request, pk):
    _require(request, "kits.view_stocktake")
    stocktake = get_object_or_404(
        policy.stocktakes.scope(request.user, Stocktake.objects.all())
        .select_related("room__school")
        .prefetch_related(Prefetch("scans")),
        pk=pk,
    )
    form = ScanForm(request.POST or None)
    if request.method == "POST":
        if "finish" in request.POST:
            services.finish_stocktake(stocktake, user=request.user)
            return redirect("kits_admin:stocktake", pk)
        if form.is_valid():
            try:
                tag = services.scan(stocktake, form.cleaned_data["tag"], user=request.user)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Scanned %(tag)s.") % {"tag": tag})
                return redirect("kits_admin:stocktake", pk)
    report = services.discrepancy_report(stocktake)
    return render(
        request,
        "kits/admin/stocktake.html",
        {
            "stocktake": stocktake,
            "form": form,
            "report": report,
            "scans": stocktake.scans.order_by("-scanned_at"),
        },
    )


def admin_url(name, *args):
    return reverse(f"kits_admin:{name}", args=args)
