"""The page a person actually sees, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_arabic_home_is_laid_out_right_to_left(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/ar/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    width = page.viewport_size["width"]
    brand = page.locator(".brand").bounding_box()
    # The brand starts the header line, which in Arabic is the right-hand side.
    assert brand is not None
    assert brand["x"] + brand["width"] > width * 0.75
    first_rule = page.locator(".rule-list li").first.bounding_box()
    assert first_rule is not None
    assert first_rule["x"] + first_rule["width"] > width * 0.75


def test_english_home_is_left_to_right_and_fits_a_320px_screen(page: Page, live_server) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/en/")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    brand = page.locator(".brand").bounding_box()
    assert brand is not None
    assert brand["x"] < 40
    # Nothing wider than the screen: no sideways scrolling on a small phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_language_switcher_keeps_the_page(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Azərbaycanca").click()
    page.wait_for_url(f"{live_server.url}/az/")
    assert page.evaluate("document.documentElement.lang") == "az"
