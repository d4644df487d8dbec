"""Headless Chromium (Debian's ``chromium`` and ``chromium-driver``) with all network access blocked.

Used by the browser tests and by ``tools/screenshots.py``. Pages are opened from ``file://``;
every http(s) and ws(s) request is blocked through the Chrome DevTools Protocol and the browser
is put offline, and every request that is not ``file:`` or ``data:`` is recorded as a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "browser_missing",
    "require_browser",
    "headless_chromium",
    "open_page",
    "PageReport",
    "canvas_ink",
    "wait_for",
]

CHROMIUM_NAMES = ("chromium", "chromium-browser")
DRIVER_NAMES = ("chromedriver",)
BLOCKED = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]


def _which(names: tuple[str, ...]) -> str | None:
    for name in names:
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if path:
            return path
    return None


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when chromium, its driver and selenium are present."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if _which(CHROMIUM_NAMES) is None:
        return "chromium is not installed (apt-get install chromium)"
    if _which(DRIVER_NAMES) is None:
        return "chromedriver is not installed (apt-get install chromium-driver)"
    return None


def require_browser() -> None:
    """Skip the calling test when the browser is missing, but fail under CI (where it must run)."""
    import pytest

    reason = browser_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
        pytest.skip(reason)


@dataclass
class PageReport:
    """What happened while a page loaded."""

    url: str
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@contextmanager
def headless_chromium(width: int = 1400, height: int = 900) -> Iterator[Any]:
    """A selenium Chrome driver on headless Chromium, offline, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="nldtib-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = _which(CHROMIUM_NAMES) or "chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-default-browser-check",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(executable_path=_which(DRIVER_NAMES) or "chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        yield driver
    finally:
        try:
            driver.quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver: Any, script: str, timeout: float = 60.0, interval: float = 0.1) -> Any:
    """Poll ``script`` (JavaScript returning a value) until it is truthy; TimeoutError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"page never satisfied: {script}")
        time.sleep(interval)


def _collect(driver: Any, report: PageReport) -> None:
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        method, params = msg.get("method", ""), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            report.requests.append(url)
            if not url.startswith(("file:", "data:", "blob:", "about:")):
                report.failed_requests.append(f"request to {url}")
        elif method == "Network.loadingFailed":
            report.failed_requests.append(
                f"failed: {params.get('errorText')} {params.get('blockedReason', '')}".strip()
            )
    for entry in driver.get_log("browser"):
        if entry.get("level") in ("SEVERE", "ERROR"):
            report.console_errors.append(entry.get("message", ""))


def open_page(driver: Any, path: str | Path, ready_script: str | None = None, timeout: float = 90.0) -> PageReport:
    """Open a local HTML file, wait for ``ready_script`` to be truthy, and report requests and errors."""
    url = Path(path).resolve().as_uri()
    driver.get_log("performance")  # drop entries from earlier pages
    driver.get_log("browser")
    driver.get(url)
    if ready_script:
        wait_for(driver, ready_script, timeout)
    report = PageReport(url)
    _collect(driver, report)
    return report


CANVAS_INK_JS = """
var canvas = document.querySelector(arguments[0]);
if (!canvas) { return -1; }
var ctx = canvas.getContext('2d');
var img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
var ink = 0;
for (var i = 0; i < img.length; i += 16) {
  if (img[i + 3] > 0 && (img[i] < 235 || img[i + 1] < 235 || img[i + 2] < 235)) { ink++; }
}
return ink;
"""


def canvas_ink(driver: Any, selector: str = "canvas") -> int:
    """How many sampled pixels of the canvas are not blank (neither transparent nor near-white)."""
    return int(driver.execute_script(CANVAS_INK_JS, selector))
