"""Speed and memory of the web explorer (``bsrlab explore``), against the issue's target.

Run by hand from the repository root (needs the extra ``app`` and /usr/bin/chromium)::

    python benchmarks/bench_explorer.py             # 15 slider moves
    python benchmarks/bench_explorer.py --moves 30

Measured:

- start-up: wall time from starting ``bsrlab explore --no-browser`` (a real subprocess) to the
  URL printed, and to the first von Peter page served (HTTP 200);
- the von Peter page in headless Chromium: time to load (the charts drawn), then the time from
  a click on the tau slider's track to the updated Figure 5 in the browser (the mark of the
  shock moved in the chart's Bokeh model, polled on every animation frame), target 300 ms;
- the server's own part of a move: :func:`bsrlab.interfaces.web.pages.vonpeter.compute` for a
  new shock (in-process, uncached);
- memory: the resident set of the app after every page was opened once;
- ``explorer.html``: the CPU time :func:`bsrlab.presentation.render.explorer.explorer_html`
  adds to ``bsrlab report`` (the model already imported, as in the report).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TARGET_MOVE = 0.300

SPAN = """() => { const f = Bokeh.documents[0].get_model_by_name('fig5');
  const s = f.center.filter(a => a.location !== undefined && a.dimension === 'height');
  return s.length ? s[0].location : null; }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=15)
    ap.add_argument("--verbose", action="store_true", help="print every move")
    args = ap.parse_args()
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from bsrlab.interfaces.cli import main; main()", "explore",
         "--port", str(port), "--no-browser"], stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        t_url = time.perf_counter() - t0
        url = line.split(": ", 1)[1].strip()
        urllib.request.urlopen(url + "vonpeter").read()
        t_page = time.perf_counter() - t0
        print(f"start-up to the URL printed        {t_url:6.2f} s")
        print(f"start-up to the first page served  {t_page:6.2f} s")
        time.sleep(3.0)  # the default views are computed in the background

        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            page = b.new_page(viewport={"width": 1300, "height": 1000})
            loads = []
            for _ in range(3):
                t = time.perf_counter()
                page.goto(url + "vonpeter?alpha=0.5&R=1.05&gamma=0&tau=0.03")
                page.wait_for_selector(".bsr-regime")
                page.wait_for_function(f"() => ({SPAN})() !== null")
                loads.append(time.perf_counter() - t)
            print(f"von Peter page load (median of 3)  {statistics.median(loads):6.2f} s")
            base = page.locator(".bsr-tau .noUi-base").first.bounding_box()
            assert base is not None
            times = []
            xs, prev = [], 0.03
            for i in range(10 * args.moves):  # spread over the track, never onto the handle
                x = 0.05 + 0.9 * (((i + 1) * 0.618034) % 1.0)
                if abs(x - prev) > 0.06:
                    xs.append(x)
                    prev = x
            missed = 0
            for x in xs[:args.moves]:
                page.wait_for_timeout(400)  # the previous move's update is complete
                before = page.evaluate(SPAN)
                if args.verbose:
                    print(f"  click at {x:.3f} of the track (tau now {before / 100:.3f})")
                t = time.perf_counter()
                page.mouse.click(base["x"] + x * base["width"], base["y"] + base["height"] / 2)
                try:
                    page.wait_for_function(f"() => ({SPAN})() !== {before!r}",
                                           polling="raf", timeout=5_000)
                except Exception:  # a click the slider did not take: counted, not timed
                    missed += 1
                    continue
                times.append(time.perf_counter() - t)
                if args.verbose:
                    print(f"  tau -> {page.evaluate(SPAN) / 100:.3f}: "
                          f"{1000 * times[-1]:.0f} ms")
            if missed:
                print(f"  ({missed} click(s) not taken by the slider within 5 s)")
            med, worst = statistics.median(times), max(times)
            ok = "OK" if med < TARGET_MOVE else "ABOVE TARGET"
            print(f"slider move -> updated Figure 5    median {1000 * med:5.0f} ms, "
                  f"max {1000 * worst:5.0f} ms over {len(times)} moves "
                  f"(target {1000 * TARGET_MOVE:.0f} ms: {ok})")
            for route in ("policy", "koo", "chain", "cases"):
                page.goto(url + route)
                page.wait_for_timeout(1500)
            b.close()
        print(f"memory of the app (RSS, all pages) {rss_mib(proc.pid):6.0f} MiB")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    from bsrlab.interfaces.web.pages.vonpeter import compute

    compute(0.5, 1.05, 0.0, 0.03)
    ts = []
    for k in range(20):
        t = time.perf_counter()
        compute(0.5, 1.05, 0.0, 0.031 + k * 0.0037)
        ts.append(time.perf_counter() - t)
    print(f"server compute of a move           median {1000 * statistics.median(ts):5.0f} ms")

    from bsrlab.models.vonpeter import Params
    from bsrlab.presentation.render.explorer import explorer_html

    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
    explorer_html(p)
    cpu = []
    for _ in range(5):
        t = time.process_time()
        explorer_html(p)
        cpu.append(time.process_time() - t)
    print(f"explorer.html in bsrlab report     median {1000 * statistics.median(cpu):5.0f} ms CPU "
          "(budget 300 ms)")


if __name__ == "__main__":
    main()
