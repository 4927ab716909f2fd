"""The Dask engine on a local cluster (127.0.0.1, dashboard off) gives the local engine's output."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from presslens.scale import iter_articles, run_scale
from presslens.scale.output import OutputDir

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


@pytest.fixture(scope="module")
def cluster_address() -> Iterator[str]:
    from presslens.scale.engines import kept_environ

    with kept_environ():  # the nanny writes its pre-spawn variables into os.environ
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # not 8787: runs may overlap
        )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _by_id(out: Path) -> dict[str, dict[str, Any]]:
    return {a.id: a.to_dict() for a in iter_articles(out)}


def test_dask_cluster_produces_the_same_articles_as_the_local_engine(
    tmp_path: Path,
    cluster_address: str,
    write_jsonl: Callable[..., Path],
    cheap_config: dict[str, Any],
    demo_dir: Path,
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 24)
    inputs = [str(demo_dir), str(src)]
    local = run_scale(inputs, tmp_path / "local", config=cheap_config, shard_size=6)
    dask = run_scale(
        inputs,
        tmp_path / "dask",
        config=cheap_config,
        shard_size=6,
        engine="dask",
        scheduler=cluster_address,
    )
    assert dask.engine == "dask" and dask.workers == 2
    assert dask.articles == local.articles >= 30 and not dask.errors
    # Both workers took shards, and each reported its memory with the models loaded.
    assert len(dask.worker_peak_rss_mb) == 2
    assert all(mb > 50 for mb in dask.worker_peak_rss_mb.values())
    assert _by_id(tmp_path / "dask") == _by_id(tmp_path / "local")
    workers = [m["worker"] for m in OutputDir(tmp_path / "dask").markers() if m["articles"]]
    assert all(w["omp_threads"] == "1" and w["pipelines"] == 1 for w in workers)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    from presslens.errors import PresslensError
    from presslens.scale import engines

    (tmp_path / "a.txt").write_text("One article.", encoding="utf-8")
    timeout = engines.CONNECT_TIMEOUT
    engines.CONNECT_TIMEOUT = 1
    try:
        with pytest.raises(PresslensError) as info:
            run_scale(
                [str(tmp_path / "a.txt")],
                tmp_path / "out",
                engine="dask",
                scheduler="tcp://127.0.0.1:9",  # the discard port: nothing listens there
            )
    finally:
        engines.CONNECT_TIMEOUT = timeout
    assert info.value.code == "P703"


def test_the_local_cluster_workers_keep_glibc_malloc_defaults_and_leave_our_env_alone(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    import os

    src = write_jsonl(tmp_path / "news.jsonl", 8)
    before = dict(os.environ)
    result = run_scale(
        [str(src)], tmp_path / "out", config=cheap_config, shard_size=4, engine="dask", workers=2
    )
    assert result.articles == 8 and not result.errors
    workers = [m["worker"] for m in OutputDir(tmp_path / "out").markers()]
    # Dask's nanny default (MALLOC_TRIM_THRESHOLD_=65536) costs the analysis system time.
    assert workers and all(w["malloc_trim"] is None and w["omp_threads"] == "1" for w in workers)
    assert dict(os.environ) == before  # the nanny's pre-spawn environment did not leak here
