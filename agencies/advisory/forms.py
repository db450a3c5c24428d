from django import forms
from django.utils.translation import gettext_lazy as _

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField

from .models import AdvisoryGroup, Member, Recommendation


class GroupForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of body"), choices=AdvisoryGroup.Kind.choices)
    name = ServiceCheckedField(label=_("Name"), max_length=255)
    purpose = ServiceCheckedField(
        label=_("Purpose and terms of reference"), max_length=10000, widget=forms.Textarea
    )
    missions = forms.ModelMultipleChoiceField(
        label=_("Missions it advises on"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missions"].queryset = missions


class MemberForm(PortalForm):
    name = ServiceCheckedField(label=_("Name"), max_length=255)
    member_type = forms.ChoiceField(label=_("Member type"), choices=Member.Type.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    role = forms.ChoiceField(label=_("Role in the group"), choices=Member.Role.choices)
    term_start = DateBoxesField(label=_("Term starts"))
    term_end = DateBoxesField(label=_("Term ends"), required=False)


class MeetingForm(PortalForm):
    held_on = DateBoxesField(label=_("Date of the meeting"))
    agenda = ServiceCheckedField(
        label=_("Agenda"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=50000, required=False, widget=forms.Textarea
    )
    published = forms.BooleanField(label=_("Publish the minutes"), required=False)


class RecommendationForm(PortalForm):
    text = ServiceCheckedField(
        label=_("Recommendation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    meeting = forms.ModelChoiceField(label=_("Made at"), queryset=None, required=False)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class AnswerForm(PortalForm):
    answer = forms.ChoiceField(
        label=_("The agency's answer"),
        choices=[c for c in Recommendation.Answer.choices if c[0] != "pending"],
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DissolveForm(PortalForm):
    reason = forms.CharField(
        label=_("Why the group is dissolved"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
