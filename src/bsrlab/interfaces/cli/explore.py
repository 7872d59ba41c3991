"""``bsrlab explore``: the web explorer on a local address (the optional extra ``app``)."""

import sys
from typing import Annotated

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import OptionError, in_dir, integer


@app.command("explore")
def explore(
    port: Annotated[str, typer.Option("--port", metavar="INT",
                                      help="Port to listen on (0: a free port).")] = "5006",
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS",
                                      help="Address to listen on.")] = "127.0.0.1",
    data_dir: Annotated[str | None, typer.Option(
        "--data-dir", metavar="DIR", help="The case studies' data directory "
        "(default: $BSRLAB_DATA, then the user cache).")] = None,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Print the URL only; open no browser.")] = False,
) -> None:
    """Start the web explorer (every page live, offline) and print its URL; Ctrl-C stops it."""
    p = integer("port", port, lo=0, hi=65535)
    h = host.strip()
    if not h or any(c.isspace() for c in h) or len(h) > 253:
        raise OptionError("host", "a host name or an IP address", host)
    d = in_dir("data-dir", data_dir) if data_dir is not None else None
    from bsrlab.interfaces.web.app import serve

    def ready(url: str) -> None:
        print(f"bsrlab explorer: {url}", flush=True)
        print("Press Ctrl-C to stop.", file=sys.stderr, flush=True)

    serve(host=h, port=int(p or 0), data_dir=d, show=not no_browser, on_ready=ready)
