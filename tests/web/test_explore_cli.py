"""``bsrlab explore``: options are checked, errors are one line (exit 2)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(("args", "msg"), [
    (["--port", "abc"], "bsrlab: error: option --port: expected an integer from 0 to 65535; "
                        "got 'abc'"),
    (["--port", "70000"], "option --port: expected an integer from 0 to 65535"),
    (["--host", ""], "option --host: expected a host name or an IP address"),
    (["--host", "203.0.113.77", "--port", "0"], "option --host: cannot listen on"),
])
def test_bad_options_one_line(cli: Any, args: list[str], msg: str) -> None:
    pytest.importorskip("panel")
    res = cli("explore", "--no-browser", *args)
    assert res.code == 2
    lines = res.err.strip().splitlines()
    assert len(lines) == 1 and msg in lines[0]
    assert "Traceback" not in res.err


def test_help_lists_the_options(cli: Any) -> None:
    res = cli("explore", "--help")
    assert res.code == 0
    for opt in ("--port", "--host", "--data-dir", "--no-browser"):
        assert opt in res.out
