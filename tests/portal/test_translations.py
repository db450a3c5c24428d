"""The Thai catalogue is complete, compiled and current.

``locale/th/LC_MESSAGES/django.po`` must translate every string the project marks for
translation, without fuzzy guesses, and the committed ``django.mo`` must be compiled from
it. No database is needed: the checks read the catalogue, ask Django's translation
machinery, and re-run ``makemessages`` on a throwaway copy of the sources.
"""

import gettext as gnu_gettext
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

BASE_DIR = Path(django_settings.BASE_DIR)
PO_PATH = BASE_DIR / "locale" / "th" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# What `makemessages` must not look at; the copy for the freshness check leaves these out.
IGNORED = [".venv", "var", "tests"]
NOT_COPIED = [*IGNORED, ".git", "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", "*.mo"]


# --- a small .po reader --------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPES |= {"f": "\f", "v": "\v"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(token: str, where: str) -> str:
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")

    def escape(match):
        char = match.group(1)
        if char not in _ESCAPES:
            raise ValueError(f"{where}: unknown escape \\{char}")
        return _ESCAPES[char]

    return re.sub(r"\\(.)", escape, token[1:-1])


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr]

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, obsolete (``#~``) ones left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None  # the field a continuation line extends
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        where = f"{path.name}:{number}"
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith('"'):
            if entry is None or target is None:
                raise ValueError(f"{where}: continuation line outside an entry")
            name, index = target
            text = _unquote(line, where)
            if index is None:
                setattr(entry, name, (getattr(entry, name) or "") + text)
            else:
                entry.msgstr_plural[index] += text
            continue
        match = _KEYWORD.match(line)
        if not match:
            raise ValueError(f"{where}: cannot read {raw!r}")
        keyword, index, token = match.group(1), match.group(2), match.group(3)
        text = _unquote(token, where)
        # msgctxt or msgid opens a new entry, unless a msgctxt just opened it.
        opens = keyword == "msgctxt" or (keyword == "msgid" and target != ("msgctxt", None))
        if opens:
            entry = Entry(line=number, flags=flags)
            entries.append(entry)
            flags = set()
        if entry is None:
            raise ValueError(f"{where}: {keyword} before any msgid")
        if index is not None:
            entry.msgstr_plural[int(index)] = text
            target = ("msgstr_plural", int(index))
        else:
            setattr(entry, keyword, text)
            target = (keyword, None)
    return entries


def messages(path: Path) -> list[Entry]:
    return [entry for entry in parse_po(path) if not entry.is_header]


def untranslated_or_fuzzy(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.label}")
        elif not entry.translations or any(not text for text in entry.translations):
            problems.append(f"untranslated: {entry.label}")
    return problems


# --- the checks ----------------------------------------------------------------------


def test_catalogue_header():
    header = next(entry for entry in parse_po(PO_PATH) if entry.is_header)
    assert "fuzzy" not in header.flags
    fields = dict(line.split(": ", 1) for line in header.msgstr.splitlines() if ": " in line)
    assert fields.get("Language") == "th"
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    assert fields.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = messages(PO_PATH)
    assert entries, f"{PO_PATH} has no messages"
    problems = untranslated_or_fuzzy(entries)
    assert not problems, "\n".join(problems)
    # Thai has one plural form: each plural entry carries exactly msgstr[0].
    wrong_plurals = [e.label for e in entries if e.msgid_plural and set(e.msgstr_plural) != {0}]
    assert not wrong_plurals, "\n".join(wrong_plurals)


def test_placeholders_are_kept():
    placeholder = re.compile(r"%\([^)]+\)[sd]|%[sd]|\{[^{}]*\}")
    wrong = []
    for entry in messages(PO_PATH):
        expected = set(placeholder.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.translations:
            if set(placeholder.findall(text)) != expected:
                wrong.append(f"{entry.label} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_compiled_catalogue_matches_the_po():
    """The committed .mo holds exactly the .po's messages, and Django serves them."""
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run manage.py compilemessages"
    entries = messages(PO_PATH)

    with MO_PATH.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    mo_ids = {key if isinstance(key, str) else key[0] for key in compiled._catalog}
    po_ids = {f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid for e in entries}
    mo_ids.discard("")
    assert mo_ids == po_ids, (
        "django.mo is not compiled from the current django.po "
        "(run manage.py compilemessages): "
        f"only in .po {sorted(po_ids - mo_ids)[:10]}, only in .mo {sorted(mo_ids - po_ids)[:10]}"
    )

    wrong = []
    with translation.override("th"):
        for entry in entries:
            if entry.msgid_plural is None:
                if entry.msgctxt is None:
                    got = [translation.gettext(entry.msgid)]
                else:
                    got = [translation.pgettext(entry.msgctxt, entry.msgid)]
            elif entry.msgctxt is None:
                got = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2, 5)]
            else:
                got = [
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    for n in (1, 2, 5)
                ]
            expected = entry.translations[0]
            if any(text != expected for text in got):
                wrong.append(f"{entry.label}: .po says {expected!r}, Django gives {got!r}")
    assert not wrong, "\n".join(wrong)


def test_catalogue_covers_every_string_in_the_sources(settings, tmp_path, monkeypatch):
    """Re-run makemessages on a copy of the sources: no new or changed string may be
    left without a translation. The real locale/ directory is never written."""
    missing_tools = [tool for tool in ("xgettext", "msguniq", "msgmerge") if not shutil.which(tool)]
    if missing_tools:
        message = f"GNU gettext is not installed ({', '.join(missing_tools)})"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)

    before = PO_PATH.read_bytes()
    copy = tmp_path / "project"
    shutil.copytree(BASE_DIR, copy, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
    copied_po = copy / PO_PATH.relative_to(BASE_DIR)
    assert copied_po.exists()

    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    call_command(
        "makemessages", locale=["th"], ignore_patterns=IGNORED, no_obsolete=True, verbosity=0
    )

    assert PO_PATH.read_bytes() == before, "makemessages wrote to the real locale/ directory"
    fresh = messages(copied_po)
    problems = untranslated_or_fuzzy(fresh)
    assert not problems, (
        "Strings in the sources lack a Thai translation; run `manage.py makemessages -l th "
        "--ignore=.venv --ignore=var --no-obsolete`, translate them in django.po and run "
        "`manage.py compilemessages`:\n" + "\n".join(problems)
    )
