"""The report's column table writes exactly what pandas writes for the same data."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bsrlab.presentation.table import Table

text = st.text(alphabet=st.sampled_from(list("ab <>&%−δτ,\"'.\t\n ")), max_size=12)
floats = st.floats(allow_nan=True, allow_infinity=True, width=64)


@st.composite
def records(draw: st.DrawFn) -> list[dict[str, object]]:
    """Rows with gaps, mixing text, floats, integers and booleans (one kind per column)."""
    n = draw(st.integers(0, 6))
    kinds = draw(st.dictionaries(st.sampled_from(["a", "b c", "d", "value "]),
                                 st.sampled_from(["text", "float", "int", "bool"]),
                                 min_size=1, max_size=4))
    strategy = {"text": text, "float": floats, "int": st.integers(-10**6, 10**6),
                "bool": st.booleans()}
    out = []
    for _ in range(n):
        row: dict[str, object] = {}
        for k, kind in kinds.items():
            if draw(st.booleans()) or kind in ("int", "bool"):  # gaps only in text and floats
                row[k] = draw(strategy[kind])
        out.append(row)
    return out


@given(records())
def test_csv_of_records_equals_pandas(rows: list[dict[str, object]]) -> None:
    assume(any(rows))  # a table has columns
    t = Table.from_records(rows)
    f = pd.DataFrame(rows)
    assert t.columns == list(f.columns)
    assert t.to_csv() == f.to_csv(index=False)


@given(st.lists(st.tuples(text, text), max_size=6))
def test_html_of_text_tables_equals_pandas(rows: list[tuple[str, str]]) -> None:
    cols = ["value ", "who  bears"]
    t = Table.from_rows(rows, cols)
    f = pd.DataFrame(rows, columns=cols)
    kw = {"index": False, "border": 0, "escape": True, "na_rep": "—"}
    assert t.to_html(**kw) == f.to_html(**kw)


def test_concat_fills_gaps_as_pandas_does() -> None:
    curve = Table({"x": np.linspace(0.0, 1.0, 3), "y": [1.0, 2.0, 3.0]})
    curve.insert(0, "element", "curve")
    marks = Table.from_records([{"element": "m", "x": 0.5, "round": 1},
                                {"element": "m", "x": 0.7, "round": 2, "note": "δ*"}])
    got = Table.concat([curve, marks])
    c = pd.DataFrame({"x": np.linspace(0.0, 1.0, 3), "y": [1.0, 2.0, 3.0]})
    c.insert(0, "element", "curve")
    m = pd.DataFrame([{"element": "m", "x": 0.5, "round": 1},
                      {"element": "m", "x": 0.7, "round": 2, "note": "δ*"}])
    want = pd.concat([c, m], ignore_index=True)
    assert got.to_csv() == want.to_csv(index=False)
    pd.testing.assert_frame_equal(got.to_frame(), want, check_dtype=False)


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="has 2 values"):
        Table({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0]})
    with pytest.raises(ValueError, match="a row of 1 values"):
        Table.from_rows([("x",)], ["a", "b"])


def test_the_report_without_data_does_not_import_pandas(tmp_path: os.PathLike[str]) -> None:
    """The default report builds its tables and figure data as Tables: pandas stays unloaded."""
    code = ("import sys\n"
            "from bsrlab.presentation.config import ReportConfig\n"
            "from bsrlab.presentation.report import write\n"
            f"write(ReportConfig(), {str(tmp_path)!r} + '/r')\n"
            "print('pandas' in sys.modules)\n")
    env = {k: v for k, v in os.environ.items() if k != "BSRLAB_DATA"}
    env["BSRLAB_CACHE"] = str(tmp_path) + "/cache"
    env["BSRLAB_DATA"] = str(tmp_path) + "/no-data"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False"
