"""axe-core on a page: no serious or critical violations, no landmark that is not unique
(two navigations with the same name confuse a screen-reader user, although axe rates it
moderate), and no CSP violations."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
SEVERE = {"serious", "critical"}
ALWAYS = {"landmark-unique"}


def _run(page: Any) -> Any:
    """axe after the page has settled; an htmx redirect may still navigate, so retry once."""
    from playwright.sync_api import Error

    for attempt in range(2):
        try:
            page.wait_for_load_state("networkidle")
            # Load states are reached once per page: also wait for htmx's own requests.
            page.wait_for_function("() => !document.querySelector('.htmx-request')")
            return _axe.run(page)
        except Error as exc:
            if "Execution context was destroyed" not in str(exc) or attempt:
                raise
    raise AssertionError("unreachable")


def assert_accessible(page: Any, where: str = "") -> None:
    results = _run(page)
    severe = [v for v in results.response["violations"] if v.get("impact") in SEVERE or v["id"] in ALWAYS]
    details = "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in severe)
    assert not severe, f"axe on {where or page.url}: {details}"
    violations = getattr(page, "csp_violations", [])
    assert not violations, f"CSP violations on {where or page.url}: {violations}"
