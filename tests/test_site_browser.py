"""The built site of a small zoo, opened in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from browser import DESKTOP, PAGE_FACTS, PHONE, artefacts, chromium, file_of, open_page, set_width
from fluxzoo.cli import main
from site_zoo import HOSTILE_TITLE, build_zoo


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    zoo = build_zoo(root)
    out = root / "out"
    assert main(["site", "--zoo", str(zoo), "--output", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium() as driver:
        yield driver


def _visible_cards(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.card'))"
        ".filter(c => c.offsetParent !== null).map(c => c.querySelector('h2').textContent)"
    )


def test_every_page_is_sound_and_its_links_fragments_and_images_resolve(
    site: Path, browser: Any
) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    ids: dict[Path, list[str]] = {}
    fragments: list[tuple[Path, Path, str]] = []
    for page in pages:
        errors = open_page(browser, page)
        assert errors == [], f"{page.relative_to(site)}: console errors {errors}"
        facts = browser.execute_script(PAGE_FACTS)
        name = page.relative_to(site)
        assert facts["title"].strip(), name
        assert facts["lang"] == "en", name
        assert facts["h1"] == 1, name
        ids[page.resolve()] = facts["ids"]
        assert len(set(facts["ids"])) == len(facts["ids"]), f"{name}: an id twice"
        for url in facts["links"]:
            target = file_of(url)
            if target is not None:
                assert target.is_file() or (target / "index.html").is_file(), f"{name}: {url}"
                assert target.resolve().is_relative_to(site.resolve()), f"{name}: {url}"
                fragment = unquote(urlsplit(url).fragment)
                if fragment:
                    target = target if target.is_file() else target / "index.html"
                    fragments.append((page, target.resolve(), fragment))
        for image in facts["images"]:
            assert image["ok"], f"{name}: image {image['src']} did not load"
            assert image["decorative"] or image["alt"], f"{name}: image {image['src']} has no alt"
        assert facts["handlers"] == [], f"{name}: {facts['handlers']}"
        assert all(src.endswith("assets/site.js") for src in facts["scripts"]), name
    for page, target, fragment in fragments:
        assert fragment in ids[target], f"{page.relative_to(site)}: no #{fragment} in {target}"
    digits = (site / "entries/vision.digits/index.html").resolve()
    linked = {(t.parent.name, f) for p, t, f in fragments if p.resolve() == digits}
    assert {("vision.digits", "training"), ("text.chars", "training")} <= linked


def test_filters_and_search_change_the_visible_cards(site: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_page(browser, site / "index.html")
    everything = _visible_cards(browser)
    assert len(everything) == 5
    assert "FizzBuzz" in everything
    Select(browser.find_element(By.NAME, "kind")).select_by_value("sequence_model")
    assert _visible_cards(browser) == ["Characters with an LSTM"]
    assert "1 of 5" in browser.find_element(By.ID, "count").text
    Select(browser.find_element(By.NAME, "kind")).select_by_value("")
    Select(browser.find_element(By.NAME, "category")).select_by_value("other")
    assert sorted(_visible_cards(browser)) == ["FizzBuzz", "Serving a classifier"]
    Select(browser.find_element(By.NAME, "category")).select_by_value("")
    Select(browser.find_element(By.NAME, "hardware")).select_by_value("cpu")
    cpu = _visible_cards(browser)
    assert 0 < len(cpu) < 5
    browser.find_element(By.CSS_SELECTOR, "button[type=reset]").click()
    search = browser.find_element(By.NAME, "q")
    search.send_keys("lstm")
    assert _visible_cards(browser) == ["Characters with an LSTM"]
    search.clear()
    search.send_keys("no such tutorial")
    assert _visible_cards(browser) == []


def test_without_javascript_every_card_is_shown(site: Path) -> None:
    with chromium(javascript=False) as driver:
        open_page(driver, site / "index.html")
        assert len(_visible_cards(driver)) == 5
        assert not driver.find_element("id", "filters").is_displayed()


def test_hostile_metadata_is_inert(site: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    page = site / "entries" / "tutorials.hostile" / "index.html"
    assert open_page(browser, page) == []
    assert browser.find_element(By.TAG_NAME, "h1").text == HOSTILE_TITLE
    assert browser.title.startswith(HOSTILE_TITLE)
    injected = browser.execute_script(
        "return Array.from(document.querySelectorAll('main script, main svg, main b, "
        'main img[src="x"], main [onerror], main [onload], main [onclick], main [onmouseover]\'))'
        ".map(e => e.outerHTML)"
    )
    assert injected == []
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
    )
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "{{ 7*7 }}" in text and "49" not in text
    assert '"><script>alert(6)</script>' in text
    open_page(browser, site / "index.html")
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('.card h2')).map(h => h.textContent)"
    )
    assert HOSTILE_TITLE in titles
    assert (
        browser.execute_script("return document.querySelectorAll('main script, main b').length")
        == 0
    )


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots_and_no_horizontal_overflow(
    site: Path, browser: Any, width: tuple[int, int], tmp_path: Path
) -> None:
    folder = artefacts(tmp_path)
    set_width(browser, *width)
    try:
        for name, page in (
            ("gallery", site / "index.html"),
            ("entry", site / "entries" / "vision.digits" / "index.html"),
        ):
            assert open_page(browser, page) == []
            facts = browser.execute_script(PAGE_FACTS)
            assert facts["innerWidth"] == width[0]
            assert facts["scrollWidth"] <= facts["innerWidth"], f"{name} overflows at {width[0]}px"
            shot = folder / f"{name}-{width[0]}.png"
            assert browser.save_screenshot(str(shot))
            assert shot.read_bytes().startswith(b"\x89PNG")
            print(f"screenshot: {shot}")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
