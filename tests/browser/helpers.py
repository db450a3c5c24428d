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
