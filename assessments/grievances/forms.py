"""Forms of grievances: the citizen's (filing, reply, verdict) and the handlers' (route,
reject, answer, merge). They shape the input; ``assessments.grievances.services`` holds the
rules and answers for every field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.grievances.models import Grievance
from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField, grouped_province_choices
from portal.models import Province


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is checked by the
    service as every upload is (portal.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


def agency_choices():
    from agencies.models import Agency

    return [("", _("Choose…"))] + [
        (a.pk, a.name) for a in Agency.objects.order_by("name_th").only("pk", "name_th", "name_en")
    ]


def project_choices():
    from contracts.agreements.models import Agreement

    rows = (
        Agreement.objects.filter(status__in=["active", "completed", "settled"])
        .order_by("number")
        .only("pk", "number", "title")
    )
    return [("", _("None: about the agency itself"))] + [
        (a.pk, f"{a.number} {a.title}") for a in rows
    ]


class GrievanceFileForm(PortalForm):
    # The service names these fields; the form shows them under their own boxes.
    service_fields = {"occurred_on": "occurred"}

    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=Grievance.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a complaint, a suggestion or a request for information.")
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give a short title.")},
        help_text=_("A few words. The title is shown on the public status page: no names."),
    )
    body = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        error_messages={"required": _("Tell us what happened.")},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What, where and who was concerned; what you would like done."),
    )
    occurred = DateBoxesField(
        label=_("When it happened"), required_message=_("Give the date it happened.")
    )
    province = forms.ChoiceField(
        label=_("Province"), error_messages={"required": _("Choose the province.")}
    )
    agency = forms.ChoiceField(
        label=_("Agency concerned"),
        required=False,
        help_text=_("The government agency concerned; or choose the funded project below."),
    )
    agreement = forms.ChoiceField(
        label=_("Funded project concerned"),
        required=False,
        help_text=_("A project a civil society organisation delivers with public funds."),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents"),
        required=False,
        help_text=_("Up to 5 files: PDF, JPEG or PNG, 10 MB each."),
    )
    anonymous = forms.BooleanField(
        label=_("File anonymously (no name is kept)"),
        required=False,
        help_text=_("Give an email or phone below if you want to hear back."),
    )
    confidential = forms.BooleanField(
        label=_("Keep my name confidential"),
        required=False,
        help_text=_("Your name is kept for the verifiers only, never shown to the agency."),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = forms.CharField(
        label=_("Email or phone (optional)"),
        max_length=254,
        required=False,
        help_text=_("Only to tell you of progress; never shown on the status page."),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    # A box people never see (it is off screen and skipped by the keyboard); robots fill
    # it in, and the form then refuses.
    website = forms.CharField(
        label=_("Leave this box empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [
            ("", _("Choose…")),
            *grouped_province_choices(Province.objects.all()),
        ]
        self.fields["agency"].choices = agency_choices()
        self.fields["agreement"].choices = project_choices()

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != "website"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "body": data["body"],
            "occurred_on": data["occurred"],
            "province": data["province"],
            "agency": data["agency"] or None,
            "agreement": data["agreement"] or None,
            "anonymous": data["anonymous"],
            "confidential": data["confidential"],
            "name": data["name"],
            "contact": data["contact"],
            "attachments": data["attachments"],
        }


class TrackForm(PortalForm):
    tracking_id = forms.CharField(
        label=_("Tracking id"),
        max_length=40,
        help_text=_("As given when you filed it, e.g. GR-2569-7K4Q-M2XD."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class CitizenTokenMixin:
    def add_token_field(self, needed: bool):
        if needed:
            self.fields["token"] = forms.CharField(
                label=_("Your reply code"),
                max_length=40,
                help_text=_("Given once, when you filed it, e.g. 7K4Q-M2XD-3HJP."),
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
                error_messages={"required": _("Give the reply code you were given.")},
            )


class ResolvedForm(CitizenTokenMixin, PortalForm):
    resolved = forms.ChoiceField(
        label=_("Was this resolved?"),
        choices=Grievance.Resolved.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes, no or partly.")},
    )

    def __init__(self, *args, token_needed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_token_field(token_needed)


class ReplyForm(CitizenTokenMixin, PortalForm):
    text = ServiceCheckedField(
        label=_("Your reply"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("It goes back to the agency, which answers within 5 working days."),
    )

    def __init__(self, *args, token_needed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_token_field(token_needed)


class RouteForm(PortalForm):
    agency = forms.ChoiceField(label=_("Agency responsible"), required=False)
    agreement = forms.ChoiceField(label=_("Funded project (its CSO sees it too)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices()
        self.fields["agreement"].choices = project_choices()


class RejectForm(PortalForm):
    reason = ServiceCheckedField(
        label=_("Why it is out of scope"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The citizen reads this on the status page."),
    )


class RespondForm(PortalForm):
    response = ServiceCheckedField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The citizen reads it on the public status page: no personal data."),
    )
    upheld = forms.TypedChoiceField(
        label=_("Was the complaint upheld?"),
        choices=[("", _("Not stated")), ("yes", _("Yes, it was founded")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
        help_text=_("Counted in the organisation's track record when a project is concerned."),
    )


class MergeForm(PortalForm):
    into = ServiceCheckedField(
        label=_("Tracking id of the grievance it repeats"),
        max_length=40,
        help_text=_("The citizen's tracking id will show that grievance's status."),
    )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Grievance.Status.choices]
    )
    late = forms.BooleanField(label=_("Late only"), required=False)
