"""What changed between two versions of a proposal (``rules.proposal_content``), for the
evaluators and the organisation: text compared word by word (Thai words cut by PyThaiNLP,
since Thai writes no spaces between them), amounts and dates before and after, rows of
targets and budget lines added or removed."""

import difflib
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext_lazy as _

TEXT_FIELDS = {
    "title": _("Project title"),
    "summary": _("Summary"),
    "outcomes": _("Expected outcomes"),
    "project_document": _("Project document"),
}
VALUE_FIELDS = {
    "requested_amount": _("Requested amount (baht)"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
}
ROW_FIELDS = {
    "targets": (_("Targets and indicators"), ("indicator", "target")),
    "budget_lines": (_("Budget"), ("description", "unit_cost", "quantity", "amount")),
    "documents": (_("Attachments"), None),
}


@dataclass
class Change:
    name: str
    label: str
    segments: list[tuple[str, str]] = field(default_factory=list)  # ("same"|"ins"|"del", text)
    before: str = ""
    after: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@cache
def _tokenizer():
    from pythainlp.tokenize import word_tokenize  # loaded on first use: it reads a dictionary

    return word_tokenize


def _words(text: str) -> list[str]:
    return _tokenizer()(text or "", engine="newmm", keep_whitespace=True)


def text_segments(before: str, after: str) -> list[tuple[str, str]]:
    """``after`` as runs of words kept, inserted and deleted since ``before``."""
    old, new = _words(before), _words(after)
    segments = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("del", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("ins", "".join(new[j1:j2])))
    return segments


def _row(item, columns) -> str:
    if columns is None:
        return str(item)
    return " · ".join(str(item.get(c, "")) for c in columns)


def changes(before: dict, after: dict) -> list[Change]:
    """Every part that differs between two contents, in the order of the proposal."""
    out = []
    for name, label in TEXT_FIELDS.items():
        if (before.get(name) or "") != (after.get(name) or ""):
            out.append(
                Change(name, label, segments=text_segments(before.get(name), after.get(name)))
            )
    for name, label in VALUE_FIELDS.items():
        if before.get(name) != after.get(name):
            out.append(
                Change(name, label, before=before.get(name) or "—", after=after.get(name) or "—")
            )
    for name, (label, columns) in ROW_FIELDS.items():
        old = [_row(r, columns) for r in before.get(name) or []]
        new = [_row(r, columns) for r in after.get(name) or []]
        if old != new:
            out.append(
                Change(
                    name,
                    label,
                    added=[r for r in new if r not in old],
                    removed=[r for r in old if r not in new],
                )
            )
    return out
