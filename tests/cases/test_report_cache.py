"""The report's case section from the data: computed once, then read from the results cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(code: str, env: dict[str, str]) -> str:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True, timeout=300).stdout


def test_warm_report_section_reads_the_cache_without_pandas(data_dir: Path,
                                                            tmp_path: Path) -> None:
    code = ("import sys\n"
            "from bsrlab.presentation.content.cases import report_section\n"
            f"s = report_section({str(data_dir)!r})\n"
            "print(s.tables[0].table.to_csv())\n"
            "print(s.figures[0].source.to_csv())\n"
            "print('pandas' in sys.modules)\n")
    env = dict(os.environ, BSRLAB_CACHE=str(tmp_path / "cache"), MPLBACKEND="Agg")
    cold = _run(code, env)
    warm = _run(code, env)
    assert cold.rsplit("\n", 2)[-2] == "True"  # computed from the data
    assert warm.rsplit("\n", 2)[-2] == "False"  # read back: the data are not loaded
    assert cold.rsplit("\n", 2)[0] == warm.rsplit("\n", 2)[0]  # the same table and figure data
    assert "japan-1990s" in warm and "observed δ" in warm
    assert list((tmp_path / "cache" / "results").glob("report-cases-*.json"))
