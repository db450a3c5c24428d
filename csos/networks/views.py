"""Provincial networks' pages: the map of all provinces and how far each network is, a
province's network (members by sector, connectors, the manager, the governor's order), applying
to join, and the manager's forms."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import tilemap
from portal.ids import id_or_404
from portal.models import Province
from portal.pages import stored_file, submit_on_page
from portal.workflow import Conflict, InvalidTransition, refuse_wrong_person

from . import permissions, selectors, services
from .forms import (
    ApplyForm,
    CertifyForm,
    CreateForm,
    GroupForm,
    MeetingForm,
    OrderForm,
    ProposeForm,
    SeatForm,
)
from .models import NetworkMember

STAGES = {
    0: _("No network yet"),
    1: _("Forming"),
    2: _("Members from three sectors or more"),
    3: _("Appointed by the governor"),
}


def network_home(request):
    networks = selectors.all_networks()
    provinces = selectors.provinces()
    names = {p.code: p.name for p in provinces}
    stages = {code: selectors.stage(n) for code, n in networks.items()}
    tiles = tilemap.tiles(
        names,
        {code: float(s) for code, s in stages.items()},
        {code: str(n.member_count) for code, n in networks.items()},
    )
    width, height = tilemap.size()
    rows = [(p, networks.get(p.code), STAGES[stages.get(p.code, 0)]) for p in provinces]
    return render(
        request,
        "csos/networks/home.html",
        {
            "tiles": tiles,
            "map_width": width,
            "map_height": height,
            "rows": rows,
            "stages": STAGES,
            "with_network": len(networks),
            "may_create": permissions.can_create(request.user)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_create(request):
    allowed, why = permissions.can_create(request.user)
    if not allowed:
        raise PermissionDenied(why)
    form = CreateForm(
        request.POST or None,
        provinces=Province.objects.filter(network__isnull=True).order_by("name_th"),
    )
    if request.method == "POST" and form.is_valid():
        who = form.cleaned_data["manager"].strip()
        manager = (
            get_user_model()
            .objects.filter(Q(username=who) | Q(email__iexact=who), is_active=True)
            .first()
        )
        try:
            network = services.network_create(
                actor=request.user, province=form.cleaned_data["province"], manager=manager
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The network is set up; its manager can now run it."))
            return redirect("network-detail", code=network.province.code)
    return render(
        request, "csos/networks/form.html", {"form": form, "heading": _("Set up a network")}
    )


def network_detail(request, code, status=200, **forms):
    network = selectors.network_for_province(code)
    manages = permissions.can_manage(request.user, network)[0]
    context = {
        "network": network,
        "sectors": selectors.members_by_sector(network),
        "connectors": list(
            network.members.filter(
                status=NetworkMember.Status.CERTIFIED, role=NetworkMember.Role.CONNECTOR
            )
        ),
        "manages": manages,
        "may_apply": permissions.can_apply(request.user, network)[0],
        **selectors.groups_of(network),
    }
    if manages:
        context.update(
            applications=[
                (m, CertifyForm(prefix=f"certify-{m.pk}"))
                for m in network.members.filter(status=NetworkMember.Status.APPLIED)
            ],
            certified=list(
                network.members.filter(status=NetworkMember.Status.CERTIFIED).exclude(
                    role=NetworkMember.Role.MANAGER
                )
            ),
            propose_form=forms.get("propose_form") or ProposeForm(prefix="propose"),
            order_form=forms.get("order_form") or OrderForm(prefix="order"),
            group_form=forms.get("group_form") or GroupForm(prefix="group"),
        )
    return render(request, "csos/networks/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def network_apply(request, code):
    network = selectors.network_for_province(code)
    refuse_wrong_person(permissions.can_apply(request.user, network))
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "kind": "person"}
        on_behalf = data.pop("on_behalf") == "cso"
        if on_behalf:
            data["name"] = "-"  # the CSO's registered name replaces it
        try:
            services.member_apply(
                person=request.user, network=network, data=data, on_behalf_of_cso=on_behalf
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("network-detail", code=code)
        else:
            messages.success(
                request, _("Your application is sent; the network's manager checks it.")
            )
            return redirect("network-detail", code=code)
    heading = _("Join the network of %(province)s") % {"province": network.province.name}
    return render(
        request, "csos/networks/form.html",
        {"form": form, "heading": heading, "network": network},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip


def _manager_only(request, code):
    network = selectors.network_for_province(code)
    allowed, why = permissions.can_manage(request.user, network)
    if not allowed:
        raise PermissionDenied(why)
    return network


@login_required
@require_POST
def network_propose(request, code):
    network = _manager_only(request, code)
    form = ProposeForm(request.POST, prefix="propose")
    if form.is_valid():
        try:
            services.member_propose(manager=request.user, network=network, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The member is recorded; certify them when they accept."))
            return redirect("network-detail", code=code)
    return network_detail(request, code, status=400, propose_form=form)


@login_required
@require_POST
def network_order(request, code):
    network = _manager_only(request, code)
    form = OrderForm(request.POST, request.FILES, prefix="order")
    if form.is_valid():
        try:
            services.order_record(
                manager=request.user, network=network, number=form.cleaned_data["number"],
                date=form.cleaned_data["date"], upload=form.cleaned_data["file"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The governor's order is recorded and published."))
            return redirect("network-detail", code=code)
    return network_detail(request, code, status=400, order_form=form)


@login_required
@require_POST
def network_member_action(request, code, pk, action):
    """The manager's buttons on a member: certify (with a term), connector, member, end."""
    network = _manager_only(request, code)
    member = network.members.filter(pk=id_or_404(pk)).first()
    if member is None or action not in ("certify", "connector", "member", "end"):
        raise Http404
    try:
        if action == "certify":
            form = CertifyForm(request.POST, prefix=f"certify-{member.pk}")
            if not form.is_valid():
                raise ValidationError(_("Give the term's end as a date, or leave it empty."))
            services.member_certify(
                manager=request.user, member=member, term_ends=form.cleaned_data["term_ends"]
            )
        elif action == "end":
            services.member_end(
                manager=request.user, member=member, reason=request.POST.get("reason", "")
            )
        else:
            services.member_set_role(manager=request.user, member=member, role=action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("network-detail", code=code)


def network_order_file(request, code):
    network = selectors.network_for_province(code)
    return stored_file(
        network.order_file,
        content_type="application/pdf",
        filename=f"network-order-{network.province.code}.pdf",
    )


@login_required
@require_POST
def network_group_set_up(request, code):
    network = _manager_only(request, code)
    form = GroupForm(request.POST, prefix="group")
    if form.is_valid():
        try:
            group = services.group_set_up(
                manager=request.user, network=network, kind=form.cleaned_data["kind"],
                purpose=form.cleaned_data["purpose"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("network-group", code=code, kind=group.kind)
    return network_detail(request, code, status=400, group_form=form)


def network_group(request, code, kind, status=200, bound=None):
    """A committee's or sub-network's public page: who sits on it (role, term), its meetings
    with minutes and numbered decisions; the manager's and secretary's forms."""
    network = selectors.network_for_province(code)
    group = selectors.group_for(network, kind)
    bound = bound or {}
    manages = permissions.can_manage(request.user, network)[0]
    context = {
        "network": network,
        "group": group,
        "seats": selectors.seats_of(group),
        "meetings": selectors.meetings_of(group),
        "manages": manages,
        "records": permissions.can_record_meeting(request.user, group)[0],
    }
    if manages:
        context["seat_form"] = bound.get("seat") or SeatForm(
            prefix="seat", members=selectors.certified_members(network)
        )
        context["purpose_form"] = bound.get("purpose") or GroupForm(
            prefix="group", initial={"kind": group.kind, "purpose": group.purpose}
        )
    if context["records"]:
        context["meeting_form"] = bound.get("meeting") or MeetingForm(prefix="meeting")
    return render(request, "csos/networks/group.html", context, status=status)


@login_required
@require_POST
def network_group_record(request, code, kind, what):
    """The forms on a committee's page: seat a member, end a seat, record a meeting."""
    network = selectors.network_for_province(code)
    group = selectors.group_for(network, kind)
    back = reverse("network-group", args=[code, group.kind])
    if what == "seat":
        form = SeatForm(request.POST, prefix="seat", members=selectors.certified_members(network))
        allowed = permissions.can_manage(request.user, network)

        def perform(data):
            services.seat_add(
                manager=request.user, group=group, member=data["member"], role=data["role"],
                term_ends=data["term_ends"],
            )  # fmt: skip

    elif what == "meeting":
        form = MeetingForm(request.POST, prefix="meeting")
        allowed = permissions.can_record_meeting(request.user, group)

        def perform(data):
            services.meeting_record(actor=request.user, group=group, data=data)

    elif what == "end-seat":
        refuse_wrong_person(permissions.can_manage(request.user, network))
        seat = group.seats.filter(pk=id_or_404(request.POST.get("seat"))).first()
        if seat is None:
            raise Http404
        try:
            services.seat_end(manager=request.user, seat=seat, reason=request.POST.get("reason"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The seat has ended."))
        return redirect(back)
    else:
        raise Http404
    return submit_on_page(
        request, allowed=allowed, form=form, perform=perform, done=_("Saved."), back=back,
        rerender=lambda bound: network_group(
            request, code, group.kind, status=400, bound={what: bound}
        ),
    )  # fmt: skip
