"""Every analysis notebook executes top to bottom on the scored bundled corpus."""

from __future__ import annotations

import pytest

from framing.notebooks import execute

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "analysis" / "afghanistan-2021").glob("[0-9][0-9]_*.ipynb"))
CLIMATE_NOTEBOOKS = sorted((ROOT / "analysis" / "climate-2019").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def scores(scored, tmp_path_factory):
    out = tmp_path_factory.mktemp("scores")
    scored.write(out)
    return out


def test_there_are_six_numbered_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(notebook, scores, tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(cache_dir))
    nb = execute(notebook, scores, out=tmp_path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code)
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    assert (tmp_path / notebook.name).is_file()


@pytest.mark.slow
@pytest.mark.parametrize("notebook", CLIMATE_NOTEBOOKS, ids=lambda p: p.stem)
def test_climate_notebook_executes(notebook, climate_sample, tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(cache_dir))
    nb = execute(notebook, climate_sample[1], out=tmp_path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code)
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    assert len(CLIMATE_NOTEBOOKS) == 2
