"""Headless Chromium for the site tests: Debian's `chromium` and `chromium-driver`, driven by
selenium, with no network, no first-run or background traffic, and a fresh profile."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = os.environ.get("FLUXZOO_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FLUXZOO_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
DESKTOP = (1280, 900)
PHONE = (390, 844)


def require_chromium() -> None:
    """Skip when Chromium is not installed; on CI (where `.ci/run` installs it) fail instead."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).is_file()]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI must run the browser tests")
    pytest.skip(reason)


@contextmanager
def chromium(*, javascript: bool = True) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    require_chromium()
    profile = tempfile.mkdtemp(prefix="fluxzoo-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def artefacts(tmp_path: Path) -> Path:
    """Where screenshots go: $FLUXZOO_ARTEFACTS if set (CI keeps it), else the test's tmp_path."""
    root = os.environ.get("FLUXZOO_ARTEFACTS")
    folder = Path(root) / "site" if root else tmp_path / "artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def set_width(driver: Any, width: int, height: int) -> None:
    """Emulate a device of that viewport (a phone is `mobile`, so the viewport meta applies)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def open_page(driver: Any, path: Path) -> list[dict[str, Any]]:
    """Load a file and return the console messages it logged at level SEVERE."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.resolve().as_uri())
    driver.execute_script("return document.readyState")
    return [m for m in driver.get_log("browser") if m.get("level") == "SEVERE"]


def file_of(url: str) -> Path | None:
    """The local file a file:// URL names (None for other schemes)."""
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


PAGE_FACTS = """
const imgs = Array.from(document.images);
return {
  title: document.title,
  lang: document.documentElement.lang,
  h1: document.querySelectorAll('h1').length,
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  ids: Array.from(document.querySelectorAll('[id]')).map(el => el.id),
  images: imgs.map(i => ({
    src: i.src, alt: i.getAttribute('alt'), ok: i.complete && i.naturalWidth > 0,
    decorative: i.closest('a.brand') !== null})),
  scripts: Array.from(document.scripts).map(s => s.src),
  handlers: Array.from(document.querySelectorAll('*')).flatMap(el => Array.from(el.attributes)
      .filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name)),
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
};
"""
