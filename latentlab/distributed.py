"""Dask ``distributed`` glue: connect to a scheduler (or start a LocalCluster), check what workers see.

Optional: ``pip install 'latentlab[distributed]'``.  Every function imports
``distributed`` itself, so the rest of latentlab runs without it.
"""
from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Iterator

from latentlab.errors import LatentlabError

INSTALL = "pip install 'latentlab[distributed]'"


def require_distributed():
    """The ``distributed`` module, or a one-line error saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise LatentlabError(f"scale-out needs Dask's distributed package: {INSTALL}") from None
    return distributed


@contextlib.contextmanager
def connect(address: str | None = None, *, workers: int | None = None, threads_per_worker: int = 1,
            timeout: float = 10.0) -> Iterator:
    """A ``distributed.Client``: to the scheduler at ``address``, or to a LocalCluster of ``workers`` processes
    on this machine (loopback only, no dashboard), closed on exit.

    Parameters
    ----------
    address
        ``tcp://HOST:8786`` of a running ``dask scheduler``.
    workers
        Without an address: worker processes of a LocalCluster.
    threads_per_worker
        Threads of each LocalCluster worker (TensorFlow uses as many).
    timeout
        Seconds to wait for the scheduler.
    """
    distributed = require_distributed()
    if address is None and not workers:
        raise LatentlabError("give a scheduler address or a number of local workers")
    if address is not None:
        port = re.fullmatch(r"(tcp|tls)://[^\s:/]+:(\d{1,5})", address)
        if not port or not 0 < int(port.group(2)) < 65536:
            raise LatentlabError(f"{address!r} is not a scheduler address: give tcp://HOST:PORT (a `dask scheduler` "
                                 "prints its own, e.g. tcp://10.0.0.5:8786)")
        try:
            client = distributed.Client(address, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise LatentlabError(f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}: {exc}); "
                                 "start one with `dask scheduler` and workers with `dask worker ADDRESS`") from None
        with client:
            yield client
        return
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, processes=True,
                                       host="127.0.0.1", dashboard_address=None, silence_logs=40)
    with cluster, distributed.Client(cluster) as client:
        yield client


def check_visible(client, folder: Path) -> None:
    """Refuse, naming the worker, when a worker cannot write into ``folder`` (the parts folder all must share).

    Parameters
    ----------
    client
        The Dask client.
    folder
        The parts folder.
    """
    folder = Path(folder).resolve()
    seen = client.run(_can_write, str(folder))
    blind = sorted(worker for worker, ok in seen.items() if not ok)
    if not seen:
        raise LatentlabError("the Dask cluster has no workers")
    if blind:
        raise LatentlabError(f"worker {blind[0]} cannot write to {folder}: every worker must see the parts folder "
                             f"(a shared file system){f' ({len(blind)} workers)' if len(blind) > 1 else ''}")


def _can_write(folder: str) -> bool:
    return os.path.isdir(folder) and os.access(folder, os.W_OK)


def map_blocks(client, fn, shared, blocks: list, read, window: int | None = None):
    """``(block, fn(shared, read(block)))`` for each block, as the workers finish them, with at most ``window``
    blocks (default: two per worker thread) read and in flight, so that the client holds a few blocks, not all.
    ``shared`` (a model's weights, a fitted UMAP, an index) is sent to every worker once; a block the cluster
    gives up on is one error line.

    Parameters
    ----------
    client
        The Dask client.
    fn
        ``fn(shared, data)`` run on a worker.
    shared
        Sent once to each worker (e.g. a fitted model).
    blocks
        The blocks' keys.
    read
        ``read(block)``: a block's data, read here when a worker is about to need it.
    window
        Blocks in flight per worker thread.
    """
    distributed = require_distributed()
    remote = client.scatter(shared, broadcast=True)
    window = window or max(2, 2 * sum(client.nthreads().values()))
    pending = iter(blocks)
    running = distributed.as_completed()
    owner = {}

    def submit_next() -> None:
        block = next(pending, None)
        if block is not None:
            future = client.submit(fn, remote, read(block), pure=False)
            owner[future.key] = block, future
            running.add(future)

    for _ in range(window):
        submit_next()
    try:
        for future in running:
            yield owner.pop(future.key)[0], future.result()
            submit_next()
    except distributed.client.FutureCancelledError as exc:
        raise LatentlabError(f"the Dask cluster gave up on a block ({exc})") from None
    except distributed.scheduler.KilledWorker as exc:
        raise LatentlabError(f"Dask workers kept dying on a block ({exc}); see the workers' logs") from None
    finally:
        client.cancel([future for _, future in owner.values()])  # those still in flight
