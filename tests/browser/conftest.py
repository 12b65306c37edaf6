"""Real headless Chromium (Debian's ``chromium`` binary, driven by Playwright) against a live server."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from riskedu import create_app
from riskedu.database import database
from riskedu.sync.models import SyncItem
from tests.conftest import app_config, separate_database, upgrade

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    path = os.environ.get("RISKEDU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(f"Chromium not found at {path}: install Debian's chromium package (.ci/run does).")
    return path


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        # "localhost" is a secure context, which service workers and persistent storage need.
        self.url = f"http://localhost:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def unplug(self) -> None:
        """No network at all: connections are refused, for pages and the service worker alike (Chromium's
        offline emulation does not reach service worker requests)."""
        self.stop()

    def plug_in(self, app: Flask | None = None) -> None:
        """The network is back: the same origin answers again (with a new deployment, if given)."""
        self.app = app or self.app
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stored_item_ids(self) -> set[str]:
        with Session(database(self.app).engine) as session:
            return set(session.scalars(select(SyncItem.id)))

    def count_items(self, ids: set[str]) -> int:
        """How many rows the server holds for these item ids (exactly-once means one each)."""
        with Session(database(self.app).engine) as session:
            return session.scalar(select(func.count()).select_from(SyncItem).where(SyncItem.id.in_(ids))) or 0

    def stop(self) -> None:
        if self.server.socket.fileno() == -1:
            return
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Live servers commit for real, so they get a database of their own, leaving the rolled-back one of
    the other tests untouched."""
    url = separate_database(database_url, "browser", tmp_path_factory.mktemp("browser-db"))
    upgrade(url)
    return url


def serve(database_url: str) -> Iterator[LiveServer]:
    app = create_app(app_config(database_url))
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    database(app).engine.dispose()


@pytest.fixture(scope="session")
def live_server(browser_database: str) -> Iterator[LiveServer]:
    yield from serve(browser_database)


@pytest.fixture
def own_server(browser_database: str) -> Iterator[LiveServer]:
    """A live server this test alone may unplug and plug in again."""
    yield from serve(browser_database)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def new_context_options(**overrides: Any) -> dict[str, Any]:
    # A cheap phone: narrow screen, touch.
    return {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, **overrides}


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    context = chromium.new_context(**new_context_options())
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
