"""Parallel and distributed runs through Dask: ``--jobs N`` starts a LocalCluster of N worker
processes on this machine, ``--scheduler ADDRESS`` uses an existing cluster. With neither,
everything runs in this process."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

# Paragraphs annotated together: one Dask task, or one batch in-process (whose arrays are the
# only per-token Python state held at a time). Large enough to amortise a task, small enough to
# balance the workers.
CHUNK = 2000


@contextmanager
def dask_client(jobs: int = 1, scheduler: str | None = None) -> Iterator[object | None]:
    """A Dask client for the run, or None to run in-process."""
    if not scheduler and jobs <= 1:
        yield None
        return
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # One thread per worker process: spaCy and the lemmatisers hold the GIL.
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client
