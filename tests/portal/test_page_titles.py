"""Page titles (issue 18, section 3): the browser tab and a screen reader's first words tell
one page from another, in the page's own language.

Every page of the site (the same walk of the URL resolver and the same sample objects as the
browser sweeps, tests/browser/sweep.py), opened in Thai and in English by the first role that
may see it (the public first):

- ``<html lang>`` is the language chosen;
- no two pages share a title: the same page about another object names that object (an
  agreement's number, a call's title);
- in Thai the page's own part of the title (before " · " and the portal's name) has Thai in
  it; in English it has no Thai letter (U+0E00–U+0E7F) except inside names from the data
  (an organisation's or a call's name, which has no English form).

Rendered by Django's test client, not a browser: the title is the server's HTML.
"""

import re
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from tests.browser.sweep import ROLES, all_visits
from tests.samples import build_data

THAI = re.compile(r"[\u0e00-\u0e7f]+")
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HTML_LANG = re.compile(r"<html[^>]*\blang=\"([^\"]*)\"")
SEPARATOR = " · "


def _clients(data, language):
    clients = {}
    for role in ROLES:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if data["roles"][role] is not None:
            client.force_login(data["roles"][role])
        clients[role] = client
    return clients


def _first_page(clients, path):
    """The page at ``path`` as the first role that may see it, or None (an action, a file,
    a page no sample role opens)."""
    for client in clients.values():
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            return response.content.decode()
        if response.status_code == 405:
            return None
    return None


def _thai_in_data():
    """Every Thai text stored in the sample data's text columns: the names a title may quote."""
    found = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            found.update(v for v in row if isinstance(v, str) and THAI.search(v))
    return found


def _titles(language):
    data = build_data()
    clients = _clients(data, language)
    titles, problems = {}, []
    for name, path in all_visits(data):
        html = _first_page(clients, path)
        if html is None:
            continue
        lang = HTML_LANG.search(html)
        if not lang or lang.group(1) != language:
            problems.append(f"{name} {path}: <html lang={lang and lang.group(1)!r}>")
        title = TITLE.search(html)
        if not title:
            problems.append(f"{name} {path}: no <title>")
            continue
        titles[path] = (name, " ".join(unescape(title.group(1)).split()))
    return titles, problems


def _duplicates(titles):
    by_title = {}
    for path, (name, title) in titles.items():
        by_title.setdefault(title, []).append(f"{name} {path}")
    return [f"“{t}”: {', '.join(where)}" for t, where in by_title.items() if len(where) > 1]


@pytest.mark.django_db
def test_every_thai_page_has_its_own_thai_title():
    titles, problems = _titles("th")
    assert len(titles) > 150, f"only {len(titles)} pages opened"
    for path, (name, title) in titles.items():
        own = title.rsplit(SEPARATOR, 1)[0]
        if not THAI.search(own):
            problems.append(f"{name} {path}: no Thai in “{title}”")
    problems += _duplicates(titles)
    assert not problems, f"{len(problems)} problem(s):\n  " + "\n  ".join(problems)


@pytest.mark.django_db
def test_every_english_page_has_its_own_english_title():
    titles, problems = _titles("en")
    assert len(titles) > 150, f"only {len(titles)} pages opened"
    names = _thai_in_data()
    for path, (name, title) in titles.items():
        stray = [w for w in THAI.findall(title) if not any(w in n for n in names)]
        if stray:
            problems.append(f"{name} {path}: Thai {stray} in “{title}”")
    problems += _duplicates(titles)
    assert not problems, f"{len(problems)} problem(s):\n  " + "\n  ".join(problems)
