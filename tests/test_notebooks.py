"""Headless notebook runs: a failing notebook stops the run with a message naming it and the cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from servicelens.notebooks import NotebookError, run_notebooks


@pytest.mark.slow
def test_a_failing_notebook_names_itself_and_the_cell(tmp_path: Path) -> None:
    from jupyter_client.kernelspec import find_kernel_specs

    kernel = "servicelens" if "servicelens" in find_kernel_specs() else "python3"
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("raw_dir = out_dir = topics = seed = None")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nbformat.write(nb, notebooks / "01_broken.ipynb")
    with pytest.raises(NotebookError) as err:
        run_notebooks(raw_dir=tmp_path, out_dir=tmp_path / "out", seed=1, topics="auto", kernel=kernel,
                      notebooks_dir=notebooks, reports_dir=tmp_path / "reports")
    message = str(err.value)
    assert "01_broken.ipynb" in message and "ZeroDivisionError" in message and "cell" in message
    assert (tmp_path / "reports" / "01_broken.ipynb").exists()  # the executed copy shows where it stopped
