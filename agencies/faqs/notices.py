"""The FAQs' notices: the person who suggested a question is told what became of it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.notices.kinds import Kind, register
from portal.notices.services import notify

register(
    Kind(
        "faq_answered",
        _("The agency answered a question you suggested"),
        0,
        _("Your question is answered: “%(question)s”"),
        _("%(agency)s has answered and published the question you suggested: “%(question)s”."),
        audience=_("people who suggest questions"),
        position=420,
    ),
    Kind(
        "faq_declined",
        _("The agency declined a question you suggested"),
        0,
        _("Your question was not published: “%(question)s”"),
        _("%(agency)s did not publish the question you suggested, “%(question)s”: %(reason)s"),
        audience=_("people who suggest questions"),
        position=421,
    ),
)


def tell_suggester(faq, kind):
    if faq.suggested_by_id is None:
        return
    notify(
        kind,
        [faq.suggested_by],
        faq,
        context={
            "question": faq.question,
            "agency": faq.agency.name_th,
            "reason": faq.decline_reason,
        },
        url=reverse("faq-detail", args=[faq.pk]) if kind == "faq_answered" else "",
    )
