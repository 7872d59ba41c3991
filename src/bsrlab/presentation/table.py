"""A small column table: the data behind a figure and a report's tables, without pandas.

The report is a one-shot command whose tables are a few rows of text and whose figure data are a
few columns of numbers; building them with pandas would cost the import of pandas (a sixth of
the report's CPU time) for nothing pandas does better. :class:`Table` holds named columns of one
length (numpy arrays or lists), writes CSV and HTML exactly as pandas does for the same data,
and becomes a :class:`pandas.DataFrame` on demand (:meth:`Table.to_frame`), which is what the
public figure functions return.

Examples
--------
>>> t = Table({"x": [0.5, 1.0], "label": ["a", "b"]})
>>> t.insert(0, "element", "curve")
>>> print(t.to_csv(), end="")
element,x,label
curve,0.5,a
curve,1.0,b
>>> Table.concat([t, Table.from_records([{"element": "marker", "x": 0.75, "y": 2.0}])]).columns
['element', 'x', 'label', 'y']
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Table", "as_frame"]


def _is_number(v: Any) -> bool:
    """An int or a float (numpy's too), not a boolean."""
    return (isinstance(v, float | int | np.floating | np.integer)
            and not isinstance(v, bool | np.bool_))


def _is_scalar(v: Any) -> bool:
    """One value (a string is one), not a column of values."""
    return not isinstance(v, np.ndarray) and (isinstance(v, str) or not isinstance(v, Iterable))


def _column(value: Any, n: int | None) -> np.ndarray | list[Any]:
    """A column: numeric and boolean data as a numpy array, anything else as a list."""
    if isinstance(value, np.ndarray):
        arr = value.ravel()
        return arr if arr.dtype.kind in "biuf" else list(arr.tolist())
    if _is_scalar(value):
        if n is None:
            raise ValueError("a scalar column needs the table's length")
        return _column(np.full(n, value) if isinstance(value, bool | int | float | np.number)
                       else [value] * n, n)
    items = list(value)
    present = [v for v in items if v is not None]
    if present and len(present) < len(items) and all(_is_number(v) for v in present):
        # numbers with gaps: floats with NaN, as pandas stores them
        return np.asarray([np.nan if v is None else v for v in items], dtype=np.float64)
    if items and all(isinstance(v, bool | np.bool_) for v in items):
        return np.asarray(items, dtype=bool)
    if items and all(_is_number(v) for v in items):
        ints = all(isinstance(v, int | np.integer) for v in items)
        return np.asarray(items, dtype=np.int64 if ints else np.float64)
    return items


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float | np.floating) and math.isnan(v))


def _cell(v: Any) -> str:
    """A value as pandas writes it to CSV (floats by ``repr``, missing values empty)."""
    if _missing(v):
        return ""
    if isinstance(v, bool | np.bool_):
        return "True" if v else "False"
    if isinstance(v, float | np.floating):
        return repr(float(v))
    if isinstance(v, int | np.integer):
        return str(int(v))
    return str(v)


class Table:
    """Named columns of one length, in order.

    Parameters
    ----------
    columns
        Name -> values (a numpy array, a sequence, or a scalar repeated over the length the
        other columns give).
    """

    __slots__ = ("_cols", "_n")

    def __init__(self, columns: Mapping[str, Any] | None = None) -> None:
        self._cols: dict[str, np.ndarray | list[Any]] = {}
        self._n = 0
        columns = dict(columns or {})
        sized = [v for v in columns.values() if not _is_scalar(v)]
        n = len(_column(sized[0], None)) if sized else (1 if columns else 0)
        for name, value in columns.items():
            self._set(str(name), value, n)
        self._n = n

    # ------------------------------------------------------------------ building
    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]],
                     columns: Sequence[str] | None = None) -> Table:
        """One row per mapping; the columns in ``columns`` order, else in first-seen order
        (a key a row lacks is missing there)."""
        names: list[str] = list(columns) if columns is not None else []
        if columns is None:
            for r in records:
                names.extend(k for k in r if k not in names)
        t = cls()
        t._n = len(records)
        for k in names:
            t._set(k, [r.get(k) for r in records], t._n)
        return t

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> Table:
        """One row per sequence, its values in the order of ``columns``."""
        for r in rows:
            if len(r) != len(columns):
                raise ValueError(f"a row of {len(r)} values for {len(columns)} columns")
        t = cls()
        t._n = len(rows)
        for j, k in enumerate(columns):
            t._set(k, [r[j] for r in rows], t._n)
        return t

    @classmethod
    def concat(cls, tables: Sequence[Table]) -> Table:
        """The rows of ``tables`` one after the other; the columns of the first table, then
        those the others add, in order. A column a table lacks is missing in its rows (a
        numeric column with missing values becomes float, as in pandas)."""
        names: list[str] = []
        for t in tables:
            names.extend(k for k in t.columns if k not in names)
        out = cls()
        out._n = sum(len(t) for t in tables)
        for k in names:
            parts = [t._cols.get(k) for t in tables]
            if all(isinstance(p, np.ndarray) for p in parts):
                arrays = [p for p in parts if isinstance(p, np.ndarray)]
                out._cols[k] = np.concatenate(arrays)
                continue
            numeric = all(p is None or (isinstance(p, np.ndarray) and p.dtype.kind in "iuf")
                          for p in parts)
            if numeric:
                out._cols[k] = np.concatenate([
                    np.full(len(t), np.nan) if p is None else np.asarray(p, dtype=np.float64)
                    for t, p in zip(tables, parts, strict=True)])
                continue
            vals: list[Any] = []
            for t, p in zip(tables, parts, strict=True):
                vals.extend([None] * len(t) if p is None else
                            (p.tolist() if isinstance(p, np.ndarray) else p))
            out._cols[k] = vals
        return out

    def _set(self, name: str, value: Any, n: int) -> None:
        col = _column(value, n)
        if len(col) != n:
            raise ValueError(f"column {name!r} has {len(col)} values; the table has {n} rows")
        self._cols[name] = col

    def insert(self, loc: int, name: str, value: Any) -> None:
        """Insert column ``name`` at position ``loc`` (a scalar is repeated)."""
        if name in self._cols:
            raise ValueError(f"column {name!r} already exists")
        self._set(name, value, self._n)
        col = self._cols.pop(name)
        items = list(self._cols.items())
        items.insert(loc, (name, col))
        self._cols = dict(items)

    def __setitem__(self, name: str, value: Any) -> None:
        self._set(name, value, self._n)

    # ------------------------------------------------------------------ reading
    def __getitem__(self, name: str) -> Any:
        """Column ``name``: a numpy array (numbers, booleans) or a list (text)."""
        return self._cols[name]

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return iter(self._cols)

    def __repr__(self) -> str:
        return f"Table({self._n} rows: {', '.join(self._cols)})"

    @property
    def columns(self) -> list[str]:
        """The column names, in order."""
        return list(self._cols)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self._n, len(self._cols)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """The rows as tuples of Python values."""
        cols = [c.tolist() if isinstance(c, np.ndarray) else c for c in self._cols.values()]
        return zip(*cols, strict=True) if cols else iter(())

    # ------------------------------------------------------------------ writing
    def to_csv(self, index: bool = False) -> str:
        """CSV text as :meth:`pandas.DataFrame.to_csv` writes it (``index=False``)."""
        if index:
            raise ValueError("a Table has no index to write")
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.columns)
        for r in self.rows():
            w.writerow([_cell(v) for v in r])
        return buf.getvalue()

    def to_html(self, index: bool = False, border: int = 0, escape: bool = True,
                na_rep: str = "NaN") -> str:
        """An HTML table as :meth:`pandas.DataFrame.to_html` writes one of text columns
        (``index=False``, ``border=0``)."""
        if index or border != 0:
            raise ValueError("a Table writes HTML without an index and without a border")

        def esc(v: Any) -> str:
            s = na_rep if _missing(v) else _cell(v)
            if escape:
                s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            s = s.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            # as pandas: stripped, and runs of two spaces kept as non-breaking spaces
            return s.strip().replace("  ", "&nbsp;&nbsp;")

        out = ['<table class="dataframe">', "  <thead>",
               '    <tr style="text-align: right;">']
        out += [f"      <th>{esc(c)}</th>" for c in self.columns]
        out += ["    </tr>", "  </thead>", "  <tbody>"]
        for r in self.rows():
            out.append("    <tr>")
            out += [f"      <td>{esc(v)}</td>" for v in r]
            out.append("    </tr>")
        out += ["  </tbody>", "</table>"]
        return "\n".join(out)

    def to_frame(self) -> pd.DataFrame:
        """The table as a :class:`pandas.DataFrame` (imports pandas)."""
        import pandas as pd

        return pd.DataFrame(dict(self._cols), index=pd.RangeIndex(self._n))


def as_frame(data: Any) -> pd.DataFrame:
    """``data`` as a :class:`pandas.DataFrame` (a :class:`Table` is converted)."""
    return data.to_frame() if isinstance(data, Table) else data

