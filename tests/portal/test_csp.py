"""The Content-Security-Policy (issue 13, item 13): every page is sent with a policy that lets
scripts and styles come only from the portal's own files, never inline, so markup someone
manages to inject cannot run or restyle the page; and no template of the portal relies on
inline script or style, which that policy would silently switch off.

That the pages still work under the policy is checked in a real browser: tests/browser (the
``page`` fixture and the phone sweep fail on any violation the browser reports)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from tests import factories

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_strict(response):
    policy = directives(response)
    for name in ("script-src", "style-src"):
        assert policy[name] == ["'self'"], f"{name}: {policy[name]}"
    for name in ("default-src", "connect-src", "font-src", "form-action", "base-uri"):
        assert policy[name] == ["'self'"], f"{name}: {policy[name]}"
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/csos/", "/calls/", "/help/", "/no-such-page/"]
)
def test_public_pages_carry_the_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_strict(response)


def test_signed_in_pages_admin_and_api_docs_carry_the_strict_policy(client):
    member = factories.CSOFactory(status="approved").members.get()
    client.force_login(member)
    for path in ("/work/", "/notices/", "/proposals/"):
        assert_strict(client.get(path))
    client.force_login(factories.StaffAdminFactory(is_superuser=True))
    assert_strict(client.get("/admin/"))
    assert_strict(client.get("/admin/portal/user/"))
    # The Swagger UI: the same policy, its start-up script fetched from the view, not inline.
    docs = client.get("/api/docs/")
    assert_strict(docs)
    page = docs.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


def test_only_the_browsable_api_relaxes_styles_and_never_scripts(client):
    """DRF's browsable API is drawn by DRF's templates, with inline styles: those pages, and
    no other, allow inline styles; scripts stay the portal's own files there too."""
    member = factories.CSOFactory(status="approved").members.get()
    client.force_login(member)
    browsable = client.get("/api/v1/me/", HTTP_ACCEPT="text/html")
    assert browsable["Content-Type"].startswith("text/html")
    policy = directives(browsable)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    # The same endpoint as JSON, and the portal's pages, keep the strict policy.
    assert_strict(client.get("/api/v1/me/", HTTP_ACCEPT="application/json"))
    assert_strict(client.get("/work/"))


# --- The templates ------------------------------------------------------------------------


def template_dirs() -> list[Path]:
    """The portal's template directories: the site's and each of its own apps' (not those of
    installed packages such as the admin, whose pages the browser tests check)."""
    base = Path(settings.BASE_DIR)
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    for config in apps.get_app_configs():
        path = Path(config.path) / "templates"
        if path.is_dir() and base in path.parents and ".venv" not in path.parts:
            dirs.append(path)
    return dirs


def all_templates() -> dict[str, Path]:
    found = {}
    for root in template_dirs():
        for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.txt")):
            found.setdefault(path.relative_to(root).as_posix(), path)
    return found


def pdf_templates(templates: dict[str, Path]) -> set[str]:
    """Templates WeasyPrint turns into PDF (portal.pdf.render_pdf), never sent to a browser as
    a page, so no Content-Security-Policy applies to them; their print styles stay inline.
    Found from the code (each render_pdf call and each instrument's document template) with
    what they extend and include, so a browser page cannot hide among them."""
    from contracts.instruments import INSTRUMENTS

    base = Path(settings.BASE_DIR)
    roots = {rules.template for rules in INSTRUMENTS.values()}
    for source in base.glob("*/**/*.py"):
        if ".venv" in source.parts or "tests" in source.relative_to(base).parts[:1]:
            continue
        roots.update(re.findall(r"render_pdf\(\s*\"([^\"]+)\"", source.read_text()))
    found, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        assert name in templates, f"render_pdf names a template that does not exist: {name}"
        found.add(name)
        todo.extend(
            re.findall(r"{%\s*(?:extends|include)\s+\"([^\"]+)\"", templates[name].read_text())
        )
    return found


def _without_template_language(text: str) -> str:
    """The markup as a browser would see its tags: comments dropped, every {% %} and {{ }}
    replaced by a blank (so a ``>`` inside one does not end a tag early)."""

    def blank(match):  # keeps the line count, so problems are named by their line
        return " " + "\n" * match.group(0).count("\n")

    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", blank, text, flags=re.S)
    text = re.sub(r"{#.*?#}", blank, text, flags=re.S)
    text = re.sub(r"{%.*?%}", blank, text, flags=re.S)
    return re.sub(r"{{.*?}}", blank, text, flags=re.S)


TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:\s[^<>]*)?)>")


def inline_code(text: str) -> list[str]:
    """What in ``text`` the policy would refuse: inline scripts, event-handler attributes,
    ``javascript:`` URLs, ``<style>`` blocks and ``style`` attributes."""
    found = []
    markup = _without_template_language(text)
    for match in TAG.finditer(markup):
        name, attrs = match.group(1).lower(), match.group(2)
        line = markup.count("\n", 0, match.start()) + 1
        data_only = re.search(r"\stype\s*=\s*[\"']?application/(ld\+)?json", attrs)
        if name == "script" and not re.search(r"\ssrc\s*=", attrs) and not data_only:
            found.append(f"line {line}: inline <script>")
        if name == "style":
            found.append(f"line {line}: <style> block")
        if re.search(r"\sstyle\s*=", attrs):
            found.append(f"line {line}: style attribute on <{name}>")
        for handler in re.findall(r"\s(on[a-z]+)\s*=", attrs):
            found.append(f"line {line}: {handler} handler on <{name}>")
        if re.search(r"=\s*[\"']?\s*javascript:", attrs, flags=re.I):
            found.append(f"line {line}: javascript: URL on <{name}>")
    return found


def test_the_scanner_finds_each_kind_of_inline_code():
    sample = """
      <script>alert(1)</script>
      <script src="/static/js/portal.js" defer></script>
      {{ data|json_script:"chart-data" }}<script type="application/json" id="d">{}</script>
      <style>p { color: red }</style>
      <p style="color: red">x</p>
      <button onclick="go()">x</button>
      <a href="javascript:go()">x</a>
      <td{% if rows|length > 20 %} class="small"{% endif %}>x</td>
      {% with one="1" %}<p class="on">{{ one }}</p>{% endwith %}
      {# <p style="a comment"> #}
    """
    assert inline_code(sample) == [
        "line 2: inline <script>",
        "line 5: <style> block",
        "line 6: style attribute on <p>",
        "line 7: onclick handler on <button>",
        "line 8: javascript: URL on <a>",
    ]


def test_no_page_template_has_inline_script_or_style():
    templates = all_templates()
    assert "base.html" in templates and "portal/widgets/date_boxes.html" in templates
    pdf = pdf_templates(templates)
    assert "csos/certificate/certificate.html" in pdf
    assert "contracts/agreements/pdf/base.html" in pdf
    problems = [
        f"{path}: {problem}"
        for name, path in templates.items()
        if name not in pdf
        for problem in inline_code(path.read_text())
    ]
    assert not problems, (
        "Inline script or style the Content-Security-Policy refuses; move it to static/js or "
        "static/css:\n  " + "\n  ".join(problems)
    )
