"""The pages in a real browser: Debian's headless Chromium, driven by Playwright (no browser download)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_viz
from test_viz import INJECTED_REPORT, INJECTION, partnership_counts

from ofsted_kg.graph import viz
from ofsted_kg.graph.store import Store

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = ("file:", "about:", "data:")
SETTLE_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
injected_store = test_viz.injected_store  # the same session fixture: the report with markup in a finding
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip install -e .[test])")


class Browser:
    """One Chromium for the session; every request is recorded and anything not local is refused."""

    def __init__(self, context) -> None:
        self.context = context
        self.requests: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            route.abort()

    def open(self, path: Path):
        """A settled page and the console errors it logged."""
        page = self.context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-settled=true]", state="attached", timeout=SETTLE_MS)
        return page, errors


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS
        )
        try:
            yield Browser(context)
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def write(folder: Path, name: str, html: str) -> Path:
    path = folder / name
    path.write_text(html, encoding="utf-8")
    return path


def click_node(page, node_id: str) -> None:
    """Click where vis-network drew the node, as a user would, once the layout has stopped moving."""
    page.wait_for_function("window.ofstedKg.settled === true", timeout=15000)
    point = page.evaluate(
        """id => {
            const net = window.ofstedKg.network;
            net.focus(id, { scale: 1.5, animation: false });
            const box = net.getBoundingBox(id);
            const canvas = document.getElementById("network").getBoundingClientRect();
            // the visible part of the node: a neighbour drawn on top may cover its centre
            for (const fx of [0.5, 0.25, 0.75, 0.1, 0.9]) {
                for (const fy of [0.5, 0.25, 0.75, 0.1, 0.9]) {
                    const p = net.canvasToDOM({ x: box.left + fx * (box.right - box.left),
                                                y: box.top + fy * (box.bottom - box.top) });
                    if (net.getNodeAt(p) === id) return { x: canvas.left + p.x, y: canvas.top + p.y };
                }
            }
            return null;
        }""",
        node_id,
    )
    assert point is not None, f"node {node_id} is hidden under others"
    page.mouse.click(point["x"], point["y"])


def test_partnership_page_renders_the_store_offline(browser: Browser, examples_store: Path, tmp_path: Path) -> None:
    with Store(examples_store) as store:
        html, _ = viz.build_page(store, "partnership", source_base="../reports")
        expected = partnership_counts(store)
    page, errors = browser.open(write(tmp_path, "partnership.html", html))
    shown = page.evaluate("[window.ofstedKg.nodes.length, window.ofstedKg.edges.length]")
    drawn = page.evaluate("Object.keys(window.ofstedKg.network.getPositions()).length")
    assert tuple(shown) == expected and drawn == expected[0]
    assert errors == []
    assert browser.requests and all(url.startswith(LOCAL) for url in browser.requests), browser.requests
    page.close()


def test_clicking_a_node_shows_its_details(browser: Browser, examples_store: Path, tmp_path: Path) -> None:
    with Store(examples_store) as store:
        html, graph = viz.build_page(store, "recurring-inspectors", source_base="../reports")
    inspection = next(n for n, d in graph.nodes(data=True) if d["kind"] == "inspection")
    data = graph.nodes[inspection]
    page, errors = browser.open(write(tmp_path, "recurring.html", html))
    click_node(page, inspection)
    assert page.inner_text("#details h2") == data["label"]
    details = page.inner_text("#details dl")
    assert data["details"][-1][1] in details  # the report's file name
    assert page.get_attribute("#details a", "href") == data["href"]
    assert errors == []
    page.close()


def test_search_dims_without_hiding(browser: Browser, examples_store: Path, tmp_path: Path) -> None:
    with Store(examples_store) as store:
        html, graph = viz.build_page(store, "partnership")
    expected = sum("bolton" in d["title"].lower() for _, d in graph.nodes(data=True))
    page, errors = browser.open(write(tmp_path, "search.html", html))
    page.fill("#search", "Bolton")
    assert page.inner_text("#matches") == f"{expected} matches"
    assert page.evaluate("window.ofstedKg.network.getSelectedNodes().length") == expected
    visible = page.evaluate("Object.keys(window.ofstedKg.network.getPositions()).length")
    assert visible == graph.number_of_nodes()
    assert errors == []
    page.close()


def test_injected_markup_in_a_finding_shows_as_text(browser: Browser, injected_store: Path, tmp_path: Path) -> None:
    with Store(injected_store) as store:
        html, graph = viz.build_page(store, focus=INJECTED_REPORT, depth=1)
    finding = next(n for n, d in graph.nodes(data=True) if d["kind"] == "finding" and INJECTION in str(d["details"]))
    page, errors = browser.open(write(tmp_path, "injected.html", html))
    click_node(page, finding)
    assert INJECTION in page.inner_text("#details")
    page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('#details *:is(script, img), body > img').length") == 0
    assert errors == []
    page.close()
