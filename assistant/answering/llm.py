"""Chat models from settings: 'ollama:<model>' or 'openai:<model>' through langchain.

The langchain integration packages are optional (extra [llm]); each is imported here
only, when its backend is chosen.
"""

from __future__ import annotations

import logging
import os

from langchain_core.language_models import BaseChatModel

from assistant.core.errors import ConfigError
from assistant.core.settings import Settings

log = logging.getLogger(__name__)

_INSTALL_HINT = "pip install 'sociale-innovatie-assistent[llm]'"


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model settings.llm names, or None for the extractive mode."""
    spec = (settings.llm or "").strip()
    if not spec:
        return None
    backend, _, model = spec.partition(":")
    model = model.strip()
    if not model:
        raise ConfigError(f"Geef een modelnaam op na '{backend}:', bijvoorbeeld '{backend}:qwen3'.")
    if backend == "ollama":
        return _ollama(settings, model)
    if backend == "openai":
        return _openai(settings, model)
    raise ConfigError(
        f"Onbekend taalmodel '{spec}'. Kies 'ollama:<model>' of 'openai:<model>', "
        "of laat ASSISTANT_LLM leeg voor het extractieve antwoord zonder taalmodel."
    )


def _ollama(settings: Settings, model: str) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise ConfigError(
            f"Voor 'ollama:{model}' is het pakket langchain-ollama nodig: {_INSTALL_HINT}"
        ) from exc
    kwargs: dict = {"model": model, "temperature": 0.1, "client_kwargs": {}}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    kwargs["client_kwargs"]["timeout"] = settings.llm_timeout_s
    log.info("llm backend=ollama model=%s", model)
    return ChatOllama(**kwargs)


def _openai(settings: Settings, model: str) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ConfigError(
            f"Voor 'openai:{model}' is het pakket langchain-openai nodig: {_INSTALL_HINT}"
        ) from exc
    # Local OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) accept any key.
    api_key = settings.llm_api_key or os.environ.get("OPENAI_API_KEY") or "geen-sleutel"
    log.info("llm backend=openai model=%s base_url=%s", model, settings.llm_base_url or "-")
    return ChatOpenAI(
        model=model,
        base_url=settings.llm_base_url,
        api_key=api_key,
        timeout=settings.llm_timeout_s,
        max_retries=1,
        temperature=0.1,
    )
