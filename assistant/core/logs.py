"""Logging setup, called once per entry point."""

from __future__ import annotations

import logging
import os


def configure_logging(level: str = "INFO") -> None:
    """Configure root logging with a compact key=value friendly format."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Third-party chatter that users do not need.
    for noisy in ("chromadb", "httpx", "bm25s", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
