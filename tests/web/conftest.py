"""Fixtures of the explorer's browser tests: the app in a subprocess, one headless Chromium.

The app is started with ``bsrlab explore --no-browser`` on a free loopback port. Every request
the browser makes goes through a route that lets loopback, ``data:`` and ``blob:`` URLs pass
and aborts (and records) any other; the tests assert that none was attempted.
Skipped when /usr/bin/chromium, Playwright or Panel is missing, unless
BSRLAB_REQUIRE_BROWSER=1 (then they fail).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "file:", "about:")

#: All text of a page, through the shadow roots Panel's components live in.
DEEP_TEXT = """() => {
  const out = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const c of node.childNodes) walk(c);
  };
  walk(document.body);
  return out.join(' ');
}"""


def need_browser() -> None:
    """Skip (or fail under BSRLAB_REQUIRE_BROWSER=1) without Chromium, Playwright or Panel."""
    required = os.environ.get("BSRLAB_REQUIRE_BROWSER") == "1"
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install -y chromium)")
    for mod in ("playwright.sync_api", "panel"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(f"the {mod.split('.')[0]} package")
    if missing:
        msg = "missing: " + ", ".join(missing)
        if required:
            pytest.fail("BSRLAB_REQUIRE_BROWSER=1 but " + msg)
        pytest.skip(msg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The explorer, started in a subprocess; its URL."""
    need_browser()
    port = free_port()
    env = {**os.environ, "BSRLAB_DATA": os.environ.get("BSRLAB_DATA", "/nonexistent-bsrlab")}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from bsrlab.interfaces.cli import main; main()", "explore",
         "--port", str(port), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = ""
        for _ in range(20):
            line = proc.stdout.readline()
            if line.startswith("bsrlab explorer: ") or not line:
                break
        assert line.startswith("bsrlab explorer: http://127.0.0.1:"), line
        yield line.split(": ", 1)[1].strip()
    finally:
        if proc.stdout is not None:
            proc.stdout.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def attempted() -> list[str]:
    """Every non-local request any page tried (each was aborted)."""
    return []


@pytest.fixture(scope="session")
def context(browser: Any, attempted: list[str]) -> Iterator[Any]:
    """One browser context (its cache keeps the app's scripts) routing every request."""
    ctx = browser.new_context(viewport={"width": 1300, "height": 1000})

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(LOCAL):
            r.continue_()
        else:
            attempted.append(url)
            r.abort()

    ctx.route("**/*", route)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """A fresh page whose non-loopback requests are aborted and recorded."""
    pg = context.new_page()
    try:
        yield pg
    finally:
        pg.close()


def wait_text(page: Any, selector: str, predicate: Any, timeout: float = 15.0) -> str:
    """Poll the text of ``selector`` until ``predicate(text)``; return it."""
    end = time.monotonic() + timeout
    text = ""
    while time.monotonic() < end:
        loc = page.locator(selector)
        if loc.count():
            text = loc.first.inner_text()
            if predicate(text):
                return text
        time.sleep(0.05)
    raise AssertionError(f"{selector}: {text!r} did not change as expected")
