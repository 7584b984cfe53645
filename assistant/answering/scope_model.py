"""A learned signal for refusal: is this question about a neighbouring topic?

Owners ask about much that borders on sociale innovatie and that the sources do not cover:
an hourly rate, childcare, a burn-out, an exit interview. The border list
(prompts/borders.txt) names such topics one by one, and a topic nobody listed slips
through. This model generalises from labelled questions instead: a logistic regression
on the question's E5 query vector, trained on the tuning sets' answerable questions and
near-topic refusals (evals/sets/dev.jsonl and calibration.jsonl, never test.jsonl) by
`bench/train_scope_model.py`, which writes `scope_model.json` next to this module (the
path is Settings.scope_model_file).

The model only says how much a question looks like the refusals it was trained on. The
refusal policy (assistant.answering.refusal.ScopePolicy) acts on it only when no passage
is a close match and the question's rarer words are not in one sentence, so a document
that is later added on such a topic answers its questions.

The model belongs to one embedder: loaded with another (a sentence-transformers model,
a test fake), it is left out and the other signals decide.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.core.errors import ConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScopeModel:
    """Standardised query vector -> logistic regression -> P(neighbouring topic)."""

    embedder: str  # the embedder whose query vectors it was trained on
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    about: dict = field(default_factory=dict)  # training sets, sizes, regularisation

    def probability(self, vector: np.ndarray) -> float:
        """How likely the question with this query vector is about a neighbouring topic."""
        z = float(((np.asarray(vector, dtype=np.float64) - self.mean) / self.scale) @ self.weights)
        return _sigmoid(z + self.bias)

    # ------------------------------------------------------------------ training
    @classmethod
    def fit(
        cls,
        vectors: np.ndarray,
        refuse: Sequence[bool],
        embedder: str,
        c: float = 0.1,
        about: dict | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> ScopeModel:
        """L2-regularised logistic regression (Newton's method) on standardised vectors:
        minimises 0.5*|w|^2 + c * sum(weight_i * loss_i), where weight_i balances the two
        classes (by their summed sample weights) times the sample's own weight."""
        x = np.asarray(vectors, dtype=np.float64)
        y = np.asarray(refuse, dtype=np.float64)
        own = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        if x.ndim != 2 or not len(x) == len(y) == len(own) or not 0 < y.sum() < len(y):
            raise ValueError("fit needs vectors with both answerable and refused questions")
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale == 0] = 1.0
        z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
        total, refused = own.sum(), own[y == 1].sum()
        sample = own * np.where(y == 1, total / (2 * refused), total / (2 * (total - refused)))
        penalty = np.ones(z.shape[1])
        penalty[-1] = 0.0  # the bias is not regularised
        theta = np.zeros(z.shape[1])
        for _ in range(100):
            p = 1 / (1 + np.exp(-(z @ theta)))
            gradient = penalty * theta + c * z.T @ (sample * (p - y))
            hessian = np.diag(penalty) + c * (z.T * (sample * p * (1 - p))) @ z
            step = np.linalg.solve(hessian, gradient)
            theta -= step
            if np.abs(step).max() < 1e-8:
                break
        return cls(embedder, mean, scale, theta[:-1], float(theta[-1]), dict(about or {}))

    # ------------------------------------------------------------------ file
    def save(self, path: Path) -> None:
        """Write the model as JSON (numbers rounded to 6 digits: about 25 kB)."""
        data = {
            "embedder": self.embedder,
            "about": self.about,
            "bias": round(self.bias, 6),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        """Read a saved model; a malformed file is a ConfigError naming it."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
            model = cls(str(data["embedder"]), *arrays, float(data["bias"]), data.get("about", {}))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"Onderwerpmodel onleesbaar: {path} ({exc})") from exc
        if not len(model.mean) == len(model.scale) == len(model.weights) > 0:
            raise ConfigError(f"Onderwerpmodel onleesbaar: {path} (lengtes verschillen)")
        return model


def load_scope_model(path: Path | None, embedder_name: str, dimension: int) -> ScopeModel | None:
    """The model at path if it was trained for this embedder, else None (with a log line)."""
    if path is None:
        return None
    model = ScopeModel.load(path)
    if model.embedder != embedder_name or len(model.weights) != dimension:
        log.info(
            "scope model left out: trained for %s (%d), embedder is %s (%d)",
            model.embedder,
            len(model.weights),
            embedder_name,
            dimension,
        )
        return None
    return model


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)
