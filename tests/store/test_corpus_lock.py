"""One corpus update at a time, across processes, on both backends.

Found by probing: ``analyze`` and the web API's ingest updated the corpus results of one store
at the same time; each read the results, added its articles and wrote them back, and the one
that wrote last dropped the other's stories (150 articles ended in one story of 158)."""

from __future__ import annotations

import multiprocessing as mp
import threading
from typing import Any

from presslens.corpus import update_corpus
from presslens.store import open_store


def _hold_lock(url: str, held: Any, release: Any) -> None:
    store = open_store(url)
    with store.corpus_lock():
        held.set()
        release.wait(60)
    store.close()


def test_a_corpus_update_waits_for_another_process_holding_the_lock(store_url: str) -> None:
    ctx = mp.get_context("spawn")
    held, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold_lock, args=(store_url, held, release))
    other.start()
    try:
        assert held.wait(60), "the other process never took the lock"
        store = open_store(store_url)
        done = threading.Event()
        result: dict[str, Any] = {}

        def update() -> None:
            result.update(update_corpus(store))
            done.set()

        worker = threading.Thread(target=update)
        worker.start()
        assert not done.wait(1.5), "the update ran while another process held the lock"
        release.set()
        assert done.wait(60), "the update did not run once the lock was released"
        worker.join()
        assert result["articles"] == 0
        assert store.get_corpus("corpus.stories") is not None
        store.close()
    finally:
        release.set()
        other.join(30)
    assert other.exitcode == 0


def test_the_lock_is_free_again_after_an_update(store_url: str) -> None:
    store = open_store(store_url)
    update_corpus(store)
    with store.corpus_lock():  # would block forever if the update had kept it
        pass
    update_corpus(store)
    store.close()
