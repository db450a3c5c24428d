"""What the browser tests share: axe-core on every page, and keyboard-only operation of each
control. The browser itself (Debian's Chromium driven by Playwright) is the ``page`` fixture
of tests/browser/conftest.py.
"""

BLOCKING_IMPACTS = {"serious", "critical"}

PASSWORD = "Ruam-Tham-2568!"


def assert_accessible(page, where: str) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
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


def fill_date(scope, legend, boxes: dict) -> None:
    """Type a date as a person does, in the group (fieldset) named ``legend``: ``boxes`` maps
    each box's label (e.g. "Day", "เดือน") to what is typed; the month is chosen from its
    list by the month's name."""
    import re

    group = scope.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))
    for label, value in boxes.items():
        box = group.get_by_label(label, exact=True)
        if box.evaluate("el => el.tagName") == "SELECT":
            box.select_option(label=value)
        else:
            box.fill(value)


def give_two_factor_code(page, user) -> None:
    """The code step after the password (staff and committee reviewers must have an app): type
    the code ``user``'s app shows now (tests.helpers.totp_device_for made the app) and go on."""
    import re

    from tests.helpers import totp_code, totp_device_for

    page.get_by_label(re.compile(r"^(Code|รหัส)\s*\*?$")).fill(totp_code(totp_device_for(user)))
    activate(
        page.get_by_role("main").get_by_role("button", name=re.compile(r"^(Sign in|ลงชื่อเข้าใช้)$"))
    )
