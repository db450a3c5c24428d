from django import forms
from django.utils.translation import gettext_lazy as _

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField

from .models import CommitteeMember

__all__ = ["MeetingForm", "MemberForm", "RecommendationForm", "SetUpForm"]


class SetUpForm(PortalForm):
    purpose = ServiceCheckedField(
        label=_("What the committee oversees"), max_length=5000, widget=forms.Textarea
    )


class MemberForm(PortalForm):
    name = ServiceCheckedField(label=_("Name"), max_length=255)
    side = forms.ChoiceField(label=_("Who they are"), choices=CommitteeMember.Side.choices)
    is_chair = forms.BooleanField(label=_("Chairs the committee"), required=False)
    term_start = DateBoxesField(label=_("Term starts"))
    term_end = DateBoxesField(label=_("Term ends"), required=False)


class MeetingForm(PortalForm):
    held_on = DateBoxesField(label=_("Date of the meeting"))
    minutes = ServiceCheckedField(label=_("Minutes"), max_length=20000, widget=forms.Textarea)
    decisions = ServiceCheckedField(
        label=_("Decisions"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class RecommendationForm(PortalForm):
    text = ServiceCheckedField(
        label=_("Recommendation to the agency"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
