"""The Thai copy speaks in one register and names each thing's status in its own words: the
catalogue never says คุณ for "you" (ท่าน throughout, compounds such as คุณภาพ aside), and a
proposal, a progress report, an evaluation and a review each read "submitted" differently."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from contracts.agreements.models import EvaluationStatus, ReportStatus
from contracts.proposals.models import ProposalStatus, ReviewStatus

PO = Path(__file__).resolve().parents[2] / "locale" / "th" / "LC_MESSAGES" / "django.po"
PRONOUN = re.compile(r"(?<!ขอบ)คุณ(?!ภาพ|สมบัติ|ค่า|วุฒิ|ลักษณะ|ประโยชน์|ธรรม|ูปการ)")


def translations():
    """Each entry's msgstr, its continuation lines joined."""
    for block in re.split(r"\n\s*\n", PO.read_text(encoding="utf-8")):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text, in_msgstr = [], False
        for line in lines:
            if line.startswith("msgstr"):
                in_msgstr = True
                line = line.split(" ", 1)[1]
            elif not line.startswith('"'):
                in_msgstr = False
            if in_msgstr:
                text.append(line.strip().strip('"'))
        yield "".join(text)


def test_the_catalogue_says_than_never_khun_for_you():
    found = [text for text in translations() if PRONOUN.search(text)]
    assert not found, "Use ท่าน:\n" + "\n".join(found)


def test_each_kind_of_record_has_its_own_word_for_submitted():
    with translation.override("th"):
        words = {
            str(label)
            for label in (
                ProposalStatus.SUBMITTED.label,
                ReportStatus.SUBMITTED.label,
                EvaluationStatus.SUBMITTED.label,
                ReviewStatus.SUBMITTED.label,
            )
        }
    assert len(words) == 4, words
    assert "ยื่นคำขอ" not in words


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_report_not_yet_sent_is_not_called_due_in_thai(language):
    with translation.override(language):
        label = str(ReportStatus.DUE.label)
    assert label == ("รอส่ง" if language == "th" else "Due")
