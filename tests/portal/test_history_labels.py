"""The history tables show each action in the reader's language, never its code: every action
code the services write (``action="..."`` in the sources, and the codes passed on by name)
has a label, and a Thai reader reads them in Thai."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from portal.models import AuditLog

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "csos", "agencies", "contracts", "assessments")
LITERAL = re.compile(r"""(?:\baction=|\b[A-Z_]*ACTION = )["']([a-z_]+)["']""")
# Codes handed on by a helper rather than written as action="...": (file, code).
PASSED_ON = {("contracts/agreements/services/reports.py", c) for c in ("accept", "return")}


def written_codes() -> set[str]:
    codes = {code for _file, code in PASSED_ON}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            codes.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    codes.discard("store_true")  # argparse, not an audit action
    return codes


def test_the_codes_passed_on_by_name_are_still_there():
    for file, code in PASSED_ON:
        assert f'"{code}"' in (ROOT / file).read_text(encoding="utf-8"), (file, code)


def test_every_action_the_services_write_has_a_label():
    missing = sorted(written_codes() - set(AuditLog.ACTION_LABELS))
    assert not missing, f"Add these to AuditLog.ACTION_LABELS: {missing}"


@pytest.mark.django_db
def test_a_thai_reader_reads_every_label_in_thai():
    thai = re.compile(r"[\u0e00-\u0e7f]")
    with translation.override("th"):
        english = {
            code: str(label)
            for code, label in {
                **AuditLog.ACTION_LABELS,
                **{k[1]: v for k, v in AuditLog.MODEL_ACTION_LABELS.items()},
            }.items()
            if not thai.search(str(label))
        }
    assert not english, f"Untranslated history actions: {english}"
