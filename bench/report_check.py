"""Open a `nanlint verify --report` page in headless Chromium, screenshot it, and list every network request
the page made. Exit 1 if it made any.

    python bench/report_check.py docs/report-sample.html docs/report-sample.png

The page's own Content-Security-Policy would block a request before it reaches the network (and so before
Chromium's net log sees it), which would hide a page that asks for a font or a CDN script. The check
therefore loads a copy without that policy: what it measures is that the content itself references nothing.
Chromium's own background traffic (update checks, account probes) is told apart from the page's by the
network isolation key: only the page's requests are keyed to its file:// site.

Needs `chromium` (Debian: `apt-get install chromium`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def check(page: Path, screenshot: Path, width: int = 1200, height: int = 1600) -> list[str]:
    """The URLs the page requested (other than itself); writes the screenshot."""
    browser = find_browser()
    if browser is None:
        raise FileNotFoundError("no Chromium found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="nanlint-report-check-") as scratch:
        copy = Path(scratch) / page.name
        copy.write_text(_CSP.sub("", page.read_text(encoding="utf-8"), count=1), encoding="utf-8")
        net_log = Path(scratch) / "net-log.json"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={scratch}/profile",
             "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={screenshot.resolve()}",
             f"--log-net-log={net_log}", "--host-resolver-rules=MAP * ~NOTFOUND", copy.as_uri()],
            check=True, capture_output=True, timeout=120)
        return page_requests(json.loads(net_log.read_text(encoding="utf-8")))


def page_requests(log: dict) -> list[str]:
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or "file://" not in params.get("network_isolation_key", ""):
            continue
        if not params.get("url", "").startswith(("file:", "data:")):
            urls.append(params["url"])
    return urls


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    requests = check(Path(argv[0]), Path(argv[1]))
    for url in requests:
        print(f"request: {url}")
    print(f"{len(requests)} network request(s); screenshot in {argv[1]}")
    return 1 if requests else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
