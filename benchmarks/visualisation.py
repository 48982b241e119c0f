"""Visualisation: time to build the pyvis page of a store, and for headless Chromium to load and settle it.

The page is `ofsted_kg.graph.viz.build_page` (the partnership view, the largest). Chromium
opens it from a local HTTP server; a script added to a copy of the page waits for the page's
own "settled" flag (physics stabilised and switched off) and calls the server back with
`performance.now()`, the milliseconds since navigation began (by navigating to it: the page's
Content-Security-Policy forbids fetch). The page as users get it is
not changed.

    python -m benchmarks.visualisation page STORE OUT_HTML REPEATS   # child: build the page
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .measure import ChildError, emit_json, median, run_child

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
SETTLE_LIMIT_SECONDS = 120.0
BEACON = """<script>
(function () {
  const timer = setInterval(function () {
    if (window.ofstedKg && window.ofstedKg.settled) {
      clearInterval(timer);
      window.location.assign("/settled?ms=" + performance.now());  // the page's CSP forbids fetch
    }
  }, 20);
})();
</script>
</body>"""


def chromium() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def chromium_version() -> str:
    browser = chromium()
    if not browser:
        return "not installed"
    try:
        return subprocess.run([browser, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def measure(stores: dict[str, Path], workdir: Path, repeats: int) -> dict:
    """For each store: page build time, nodes and size, and Chromium's load-and-settle time."""
    results = {}
    for label, store in stores.items():
        page = workdir / f"viz-{label}.html"
        try:
            built = run_child("benchmarks.visualisation", "page", str(store), str(page), str(repeats)).result
        except ChildError as err:
            results[label] = {"error": str(err)}
            continue
        if "error" in built:
            results[label] = built
            continue
        results[label] = {**built, **settle_times(page, repeats)}
    return results


def settle_times(page: Path, repeats: int) -> dict:
    browser = chromium()
    if not browser:
        return {"browser_error": "not measured: no chromium on PATH"}
    served = page.with_name(page.stem + "-timed.html")
    served.write_text(page.read_text(encoding="utf-8").replace("</body>", BEACON, 1), encoding="utf-8")
    runs = [_one_settle(browser, served) for _ in range(repeats)]
    failed = [r for r in runs if r is None]
    if failed:
        return {
            "browser_error": f"did not settle within {SETTLE_LIMIT_SECONDS:.0f} s in {len(failed)} of {repeats} runs"
        }
    return {
        "settle_s": median([r[0] for r in runs]),  # from navigation start (page load, layout, physics)
        "browser_total_s": median([r[1] for r in runs]),  # from launching the browser
        "browser_runs": repeats,
    }


def _one_settle(browser: str, page: Path) -> tuple[float, float] | None:
    settled: dict[str, float] = {}
    event = threading.Event()

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(page.parent), **kwargs)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/settled":
                settled["ms"] = float(parse_qs(url.query)["ms"][0])
                settled["at"] = time.perf_counter()
                event.set()
                self.send_response(204)
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Chromium's helper processes outlive a kill of the browser alone and go on writing to the profile:
    # the browser starts a session of its own, and the whole session is killed before the profile goes.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
             f"--user-data-dir={profile}", f"http://127.0.0.1:{server.server_port}/{page.name}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            done = event.wait(SETTLE_LIMIT_SECONDS)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            server.shutdown()
            server.server_close()
    return (settled["ms"] / 1000, settled["at"] - start) if done else None


def build(store_path: str, out: Path, repeats: int) -> dict:
    from ofsted_kg.graph.store import Store
    from ofsted_kg.graph.viz import build_page

    times = []
    with Store(store_path) as store:
        for _ in range(repeats):
            start = time.perf_counter()
            html, graph = build_page(store, "partnership", max_nodes=10**7)
            times.append(time.perf_counter() - start)
    out.write_text(html, encoding="utf-8")
    return {
        "build_s": median(times),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "page_mb": len(html.encode()) / 1024**2,
    }


def main(argv: list[str]) -> None:
    if argv[0] != "page":
        raise SystemExit(f"unknown mode {argv[0]!r}: page")
    emit_json(build(argv[1], Path(argv[2]), int(argv[3])))


if __name__ == "__main__":
    main(sys.argv[1:])
