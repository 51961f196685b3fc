"""Headless notebook runs with papermill: execute notebooks/NN_*.ipynb in order with the
run's parameters, and write executed copies to reports/ as .ipynb and HTML."""

from __future__ import annotations

import logging
from pathlib import Path

from .config import NOTEBOOKS_DIR, reports_dir_for

REPORT_NOTEBOOK = "04_report.ipynb"

log = logging.getLogger(__name__)


class NotebookError(RuntimeError):
    """A notebook failed; the message names the notebook and the cell."""


def run_notebooks(*, raw_dir: Path, out_dir: Path, seed: int, topics: str, kernel: str,
                  notebooks_dir: Path = NOTEBOOKS_DIR, reports_dir: Path | None = None,
                  only: tuple[str, ...] = ()) -> list[Path]:
    """Execute every numbered notebook in order; stop at the first failure.

    Executed copies go to ``reports/`` (or ``OUT/reports`` for another input) as .ipynb and
    HTML; the report notebook is also written as ``report.html`` without its code.
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    reports_dir = reports_dir or reports_dir_for(raw_dir, out_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    params = {"raw_dir": str(Path(raw_dir).resolve()), "out_dir": str(Path(out_dir).resolve()),
              "topics": topics, "seed": seed}
    done = []
    for nb in sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb")):
        if only and nb.name not in only:
            continue
        target = reports_dir / nb.name
        log.info("executing %s", nb.name)
        try:
            pm.execute_notebook(str(nb), str(target), parameters=params, kernel_name=kernel,
                                cwd=str(notebooks_dir), progress_bar=False)
        except pm.PapermillExecutionError as exc:
            raise NotebookError(
                f"notebook {nb.name} failed in cell {exc.exec_count} ({exc.ename}: {exc.evalue}); "
                f"see {target}") from exc
        executed = nbformat.read(target, as_version=4)
        body, _ = HTMLExporter().from_notebook_node(executed)
        target.with_suffix(".html").write_text(body, encoding="utf-8")
        if nb.name == REPORT_NOTEBOOK:
            body, _ = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                   exclude_output_prompt=True).from_notebook_node(executed)
            (reports_dir / "report.html").write_text(body, encoding="utf-8")
        done.append(target)
    return done
