"""The web explorer: every part of bsrlab, live in a browser, served from this machine.

``bsrlab explore`` starts it (:func:`bsrlab.interfaces.web.app.serve`); it needs the optional
extra ``app`` (``pip install bsrlab[app]``: Panel with Bokeh, whose scripts, styles and fonts
are all served by the local server, so no request leaves the machine).

The explorer imports the library and the presentation layer only: every number it shows comes
from the library's functions, and every value it receives (from a widget or from the address
bar) is checked by the library's parameter classes on the server
(:mod:`bsrlab.interfaces.web.state`). :mod:`~bsrlab.interfaces.web.state` needs neither Panel
nor Bokeh.
"""

__all__ = ["PAGES"]

#: The explorer's pages: route -> title, in the order of the navigation bar.
PAGES: dict[str, str] = {
    "vonpeter": "von Peter",
    "policy": "The von Peter policy lab",
    "koo": "Koo's balance sheet recession",
    "chain": "From bust to balance sheet recession",
    "cases": "Case studies and the panel test",
}
