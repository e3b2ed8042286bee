"""axe-core in the journeys' browser: the customer pages must have no serious or critical
violation, and must declare the language they are served in.

axe-core comes inside the axe-playwright-python package (its ``axe.min.js``, MPL-2.0), read from
the virtualenv and injected into the page by Playwright: nothing is fetched at run time.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

BLOCKING = ("critical", "serious")
AXE = Axe()


def blocking_violations(page) -> list[dict]:
    """axe's serious and critical violations on the page as it is now (its default rule set:
    WCAG 2.x A and AA plus best practices)."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    return [violation for violation in results.response["violations"] if violation["impact"] in BLOCKING]


def describe(where: str, violations: list[dict]) -> str:
    """One line per violation and one per node it was found on, for the failure message."""
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}) — {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


def served_language(response) -> str:
    """The language the server says it answered in (Content-Language, which LocaleMiddleware sets),
    else the site's one language."""
    return (response.headers.get("content-language") or settings.LANGUAGE_CODE).lower()


def page_language(page) -> str:
    return (page.evaluate("document.documentElement.lang") or "").lower()
