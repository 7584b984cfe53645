"""The learned-sparse inverted index and its storage encoding."""

from __future__ import annotations

import numpy as np

from assistant.core.sparse import SparseIndex, decode_sparse, encode_sparse


def _vec(pairs: dict[int, float]):
    return np.array(list(pairs), dtype=np.int32), np.array(list(pairs.values()), np.float32)


def test_index_scores_are_dot_products():
    index = SparseIndex([_vec({1: 1.0, 5: 2.0}), None, _vec({5: 0.5, 9: 3.0})])
    scores = index.scores(_vec({5: 2.0, 9: 1.0}))
    np.testing.assert_allclose(scores, [4.0, 0.0, 4.0])
    assert index.search(_vec({9: 1.0}), k=3) == [(2, 3.0)]
    assert index.search(_vec({5: 1.0}), k=3, mask=np.array([0, 1, 1.0])) == [(2, 0.5)]
    assert index.search(_vec({42: 1.0}), k=3) == []


def test_encoding_round_trips_within_half_precision():
    idx, val = _vec({3: 0.125, 16000: 1.5, 7: 0.3})
    back_idx, back_val = decode_sparse(encode_sparse((idx, val)))
    np.testing.assert_array_equal(back_idx, idx)
    np.testing.assert_allclose(back_val, val, rtol=1e-3)
