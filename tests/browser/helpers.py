"""What the browser tests share: axe-core on every page, and keyboard-only operation of each
control. The browser itself (Debian's Chromium driven by Playwright) is the ``page`` fixture
of tests/browser/conftest.py.
"""

BLOCKING_IMPACTS = {"serious", "critical"}

# Every Content-Security-Policy violation a page reports (an inline script or style the policy
# refused, a source it does not allow), kept on ``window.__cspViolations`` and handed to the
# test through ``__portalCspViolation`` when the context exposes it. Playwright runs init
# scripts in each new document before the page's own, whatever its policy says.
CSP_RECORDER_JS = """
(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    const text = `${e.effectiveDirective} refused ${e.blockedURI || 'inline'} at ` +
      `${e.sourceFile || e.documentURI}:${e.lineNumber}` +
      (e.sample ? ` (${e.sample.slice(0, 60)})` : '');
    window.__cspViolations.push(text);
    if (window.__portalCspViolation) { window.__portalCspViolation(text); }
  }, true);
})();
"""

PASSWORD = "Ruam-Tham-2568!"


def record_csp_violations(context) -> list[str]:
    """Record every CSP violation reported by any page of ``context``, into the list returned
    (as each happens) and on each page's ``window.__cspViolations``."""
    seen: list[str] = []
    context.expose_function("__portalCspViolation", lambda text: seen.append(text))
    context.add_init_script(CSP_RECORDER_JS)
    return seen


def csp_violations(page) -> list[str]:
    """The CSP violations the page now shown has reported since it loaded (the recorder must
    be installed: a page without it would pass unseen)."""
    found = page.evaluate("window.__cspViolations")
    assert found is not None, f"no CSP recorder on {page.url}: call record_csp_violations"
    return found


def assert_accessible(page, where: str) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    # axe-core goes in through page.evaluate (the DevTools protocol), which the page's
    # Content-Security-Policy does not govern, so it runs under the portal's strict policy
    # without loosening it; the phone sweep reads the violations after axe has run.
    violations = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING_IMPACTS
    ]
    report = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
    )
    assert not violations, f"axe on {where} ({page.url}):\n{report}"


def activate(locator, key: str = "Enter") -> None:
    """Operate a control from the keyboard: it must take focus, then respond to the key."""
    from playwright.sync_api import expect

    locator.focus()
    expect(locator).to_be_focused()
    locator.press(key)


def tick(locator) -> None:
    from playwright.sync_api import expect

    activate(locator, "Space")
    expect(locator).to_be_checked()


def type_into(locator, text: str) -> None:
    """Type ``text`` into a text box from the keyboard: it must take focus; what was in it is
    selected and typed over, key by key."""
    from playwright.sync_api import expect

    locator.focus()
    expect(locator).to_be_focused()
    locator.press("ControlOrMeta+a")
    locator.page.keyboard.type(text)
    expect(locator).to_have_value(text)


def choose_file(locator, path) -> None:
    """Open a file input's chooser from the keyboard (Space on the focused input) and pick
    ``path``, as a person does in the dialogue."""
    page = locator.page
    with page.expect_file_chooser() as chooser:
        activate(locator, "Space")
    chooser.value.set_files(path)


def choose_option(select, label: str) -> None:
    """Choose ``label`` in a (closed) select from the keyboard: focus it, then the arrow keys
    step through the options until it shows."""
    from playwright.sync_api import expect

    select.focus()
    expect(select).to_be_focused()
    labels = select.evaluate("el => [...el.options].map((o) => o.label.trim())")
    assert label in labels, f"no option {label!r} in {labels}"
    key = "ArrowDown"
    if labels.index(label) < select.evaluate("el => el.selectedIndex"):
        key = "ArrowUp"
    for _ in labels:
        if select.evaluate("el => el.options[el.selectedIndex].label.trim()") == label:
            return
        select.press(key)
    raise AssertionError(f"the arrow keys never reached {label!r}")


def fill_date(scope, legend, boxes: dict, *, by_keyboard=False) -> None:
    """Type a date as a person does, in the group (fieldset) named ``legend``: ``boxes`` maps
    each box's label (e.g. "Day", "เดือน") to what is typed; the month is chosen from its
    list by the month's name (``by_keyboard``: each box focused and typed into, the month
    chosen with the arrow keys)."""
    import re

    group = scope.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))
    for label, value in boxes.items():
        box = group.get_by_label(label, exact=True)
        is_select = box.evaluate("el => el.tagName") == "SELECT"
        if by_keyboard:
            (choose_option if is_select else type_into)(box, value)
        elif is_select:
            box.select_option(label=value)
        else:
            box.fill(value)


def fill_thai_moment(scope, legend, when, *, hour="16", minute="30") -> None:
    """Type the day ``when`` falls on, at ``hour``:``minute``, in the Thai date boxes of the
    group ``legend``: the year in B.E., the month chosen from its list by its number."""
    import re

    fill_date(
        scope,
        legend,
        {"วัน": str(when.day), "ปี (พ.ศ.)": str(when.year + 543), "ชั่วโมง": hour, "นาที": minute},
    )
    group = scope.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))
    group.get_by_label("เดือน", exact=True).select_option(str(when.month))


def give_two_factor_code(page, user) -> None:
    """The code step after the password (staff and committee reviewers must have an app): type
    the code ``user``'s app shows now (tests.helpers.totp_device_for made the app) and go on."""
    import re

    from tests.helpers import totp_code, totp_device_for

    page.get_by_label(re.compile(r"^(Code|รหัส)\s*\*?$")).fill(totp_code(totp_device_for(user)))
    activate(
        page.get_by_role("main").get_by_role("button", name=re.compile(r"^(Sign in|ลงชื่อเข้าใช้)$"))
    )


def sign_in(page, user) -> None:
    """Sign ``user`` in on the Thai sign-in page, from a clean session."""
    from tests.factories import PASSWORD

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="ลงชื่อเข้าใช้").click()
