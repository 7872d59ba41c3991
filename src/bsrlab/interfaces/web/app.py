"""Serve the explorer: a Panel (Bokeh server) application on a loopback address.

Why Panel with Bokeh: its server hands the browser every script, style sheet and font from
its own ``/static`` routes, so the explorer works with no network and sends no request off
the machine; sliders, hover tools and downloads come with it; and the charts are Bokeh
documents whose data alone travel on a slider move. (Streamlit reports usage to a remote
server by default and Solara loads assets from a CDN; Shiny for Python also serves offline,
but would add a second plotting stack beside Bokeh's hover charts.)
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bsrlab.core.errors import BsrlabError
from bsrlab.interfaces.web import PAGES

__all__ = ["Settings", "build_pages", "free_port", "serve"]


@dataclass(frozen=True)
class Settings:
    """What every page may need: the case studies' data directory (None: the default)."""

    data_dir: Path | None = None


def _need_panel() -> Any:
    try:
        import panel as pn
    except ImportError:
        raise BsrlabError("the explorer needs the optional extra 'app': "
                          "pip install 'bsrlab[app]' (Panel with Bokeh)") from None
    return pn


def _configure(pn: Any) -> None:
    """Offline, and no traceback in the page: errors are logged in one line."""
    log = logging.getLogger("bsrlab.explore")

    def handler(exc: BaseException) -> None:
        from bsrlab.interfaces.web.state import error_line

        log.warning("%s", error_line(exc))

    pn.config.exception_handler = handler
    pn.config.notifications = False
    pn.config.disconnect_notification = ""
    pn.config.ready_notification = ""
    pn.config.console_output = "disable"
    os.environ.setdefault("BOKEH_RESOURCES", "server")


def _index(settings: Settings) -> Any:
    import panel as pn

    from bsrlab.interfaces.web.widgets import frame

    items = "".join(f'<li><a href="/{r}">{html.escape(t)}</a></li>' for r, t in PAGES.items())
    return frame("", "bsrlab explorer", pn.pane.HTML(
        "<p>Move a parameter, watch the banking system break. Pages:</p>"
        f"<ul>{items}</ul><p>Every page keeps its state in the address: copy the link to "
        "share a view. Everything is computed and served on this machine.</p>"))


def _chain_calibration(chain: Any) -> tuple[float, float, float]:
    s = chain.compute(*chain.default_state()).scenario
    return float(s.alpha), float(s.R), float(s.gamma)


def _warm() -> None:
    """Compute every page's default view once (the results are cached); errors are ignored,
    since each page reports its own."""
    from bsrlab.interfaces.web.pages import chain, koo, policylab, vonpeter
    from bsrlab.interfaces.web.state import VONPETER_DEFAULTS as V

    jobs: list[Callable[[], Any]] = [
        lambda: vonpeter.compute(V["alpha"], V["R"], V["gamma"], V["tau"]),
        lambda: vonpeter.regime_map(V["R"], V["gamma"], 0.2),
        lambda: policylab.compute(*policylab.DEFAULTS.values(), policylab._names()),
        lambda: koo.compute(koo._choices()[0][0], False),
        lambda: chain.compute(*chain.default_state()),
        lambda: chain.probabilities(*_chain_calibration(chain), 0.0, 0.6),
    ]
    for job in jobs:
        try:
            job()
        except Exception:
            continue


def build_pages(settings: Settings) -> dict[str, Callable[[], Any]]:
    """Route -> a function building the page for one session."""
    from bsrlab.interfaces.web.pages import cases, chain, koo, policylab, vonpeter

    mods = {"vonpeter": vonpeter, "policy": policylab, "koo": koo, "chain": chain,
            "cases": cases}

    def make(mod: Any) -> Callable[[], Any]:
        def build() -> Any:
            from bsrlab.interfaces.web.state import error_line
            from bsrlab.interfaces.web.widgets import frame

            try:
                return mod.page(settings)
            except Exception as exc:  # never a traceback in the page
                import panel as pn

                return frame(mod.ROUTE, PAGES[mod.ROUTE], pn.pane.HTML(
                    f'<div class="bsr-error">{html.escape(error_line(exc))}</div>'))
        return build

    pages: dict[str, Callable[[], Any]] = {"/": lambda: _index(settings)}
    pages.update({r: make(m) for r, m in mods.items()})
    return pages


def free_port(host: str = "127.0.0.1") -> int:
    """A port on ``host`` that is free now (the system's choice)."""
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.bind((host, 0))
            return int(s.getsockname()[1])
    except OSError as exc:
        raise BsrlabError(f"option --host: cannot listen on {host!r} "
                          f"({exc.strerror or exc})") from None


def serve(*, host: str = "127.0.0.1", port: int = 0, data_dir: Path | None = None,
          show: bool = True, on_ready: Callable[[str], None] | None = None,
          warm: bool = True) -> None:
    """Start the explorer and block until it is stopped.

    Parameters
    ----------
    host, port
        The address to listen on (port 0: a free port).
    data_dir
        The case studies' data directory (None: ``$BSRLAB_DATA``, then the user cache).
    show
        Open the default web browser on the explorer.
    on_ready
        Called with the explorer's URL once the server listens.
    warm
        Compute the pages' default views in a worker thread once the server listens, so
        that the first visit of each page is about as fast as the next.
    """
    pn = _need_panel()
    _configure(pn)
    pages = build_pages(Settings(data_dir))
    bound = port or free_port(host)
    origin = sorted({f"{host}:{bound}", f"localhost:{bound}", f"127.0.0.1:{bound}"})
    try:
        server = pn.serve(pages, port=bound, address=host, show=False, start=False,
                          websocket_origin=origin, title="bsrlab explorer",
                          check_unused_sessions=2000, unused_session_lifetime=15000,
                          verbose=False)
    except OSError as exc:
        raise BsrlabError(f"option --port: cannot listen on {host}:{bound} "
                          f"({exc.strerror or exc})") from None
    url = f"http://{host}:{bound}/"
    if on_ready is not None:
        on_ready(url)
    if warm:  # in a worker thread, while the server already answers
        server.io_loop.add_callback(
            lambda: server.io_loop.asyncio_loop.run_in_executor(None, _warm))
    if show:
        import webbrowser

        server.io_loop.add_callback(lambda: webbrowser.open(url))
    server.start()
    try:
        server.io_loop.start()
    finally:
        server.stop()
