"""The SQLite feedback store: durable, concurrent-safe, and readable by the evals."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.core.errors import InvalidInputError
from assistant.feedback import FILE_NAME, FeedbackStore


@pytest.fixture
def store(settings) -> FeedbackStore:
    return FeedbackStore.from_settings(settings)


def test_store_lives_in_the_data_dir_in_wal_mode(store, settings):
    assert store.path == settings.data_dir / FILE_NAME
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_add_and_list_round_trip(store):
    citations = [{"n": 1, "doc_id": "d", "page": "3", "text": "passage"}]
    history = [{"role": "user", "content": "eerder"}, {"role": "assistant", "content": "a"}]
    new_id = store.add(
        "vraag",
        "antwoord [1]",
        citations,
        "down",
        "  mist iets  ",
        mode="extractief",
        source="ui",
        history=history,
    )
    [item] = store.list()
    assert item["id"] == new_id
    assert item["question"] == "vraag"
    assert item["answer"] == "antwoord [1]"
    assert item["citations"] == citations
    assert item["rating"] == "down"
    assert item["reason"] == "mist iets"
    assert (item["mode"], item["source"]) == ("extractief", "ui")
    assert item["history"] == history
    assert item["created"] > 0


def test_list_filters_by_rating_and_limits(store):
    for i, rating in enumerate(["up", "down", "down", "up"]):
        store.add(f"v{i}", "a", [], rating)
    assert [f["question"] for f in store.list(rating="down")] == ["v1", "v2"]
    assert [f["question"] for f in store.list(limit=2)] == ["v0", "v1"]
    assert store.count() == 4


def test_survives_a_restart(settings):
    FeedbackStore.from_settings(settings).add("blijft", "a", [], "up")
    assert [f["question"] for f in FeedbackStore.from_settings(settings).list()] == ["blijft"]


def test_set_reason_updates_an_earlier_rating(store):
    new_id = store.add("v", "a", [], "down")
    assert store.set_reason(new_id, "te vaag") is True
    assert store.list()[0]["reason"] == "te vaag"
    assert store.set_reason(new_id + 100, "x") is False


@pytest.mark.parametrize("rating", ["", "good", "UP", None])
def test_rating_must_be_up_or_down(store, rating):
    with pytest.raises(InvalidInputError, match="'up' of 'down'"):
        store.add("v", "a", [], rating)
    assert store.count() == 0


def test_reason_length_is_bounded(store):
    with pytest.raises(InvalidInputError, match="hoogstens"):
        store.add("v", "a", [], "down", "x" * 2001)


def test_concurrent_writers_lose_nothing(store):
    def write(i: int) -> int:
        # a fresh store object per writer, like separate requests or processes
        return FeedbackStore(store.path).add(
            f"vraag {i}", "a", [{"n": 1}], "up" if i % 2 else "down"
        )

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(write, range(100)))
    assert len(set(ids)) == 100
    assert sorted(f["question"] for f in store.list()) == sorted(f"vraag {i}" for i in range(100))
