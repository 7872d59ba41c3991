"""The deleveraging package's public names, loaded when first asked for."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import bsrlab.models.deleveraging as pkg


def test_every_public_name_is_its_modules_object() -> None:
    assert sorted(pkg._MODULES) == sorted(pkg.__all__)
    for name, module in pkg._MODULES.items():
        mod = importlib.import_module(f"bsrlab.models.deleveraging.{module}")
        assert getattr(pkg, name) is getattr(mod, name)
    assert set(pkg.__all__) <= set(dir(pkg))
    with pytest.raises(AttributeError, match="no_such_name"):
        pkg.no_such_name  # noqa: B018


def test_koos_lab_loads_only_the_path_form() -> None:
    code = ("import json, sys\n"
            "import bsrlab.scenarios.koo_lab\n"
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.startswith('bsrlab.models.deleveraging.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    loaded = set(json.loads(out))
    assert "bsrlab.models.deleveraging.path" in loaded
    assert not loaded & {f"bsrlab.models.deleveraging.{m}"
                         for m in ("endowment", "linear", "two_state")}
