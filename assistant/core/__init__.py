"""The shared retrieval core: settings, types, errors, embedder, store, retriever, prompts.

Everything else (ingest/, evals/, answering, API, UI, CLI) builds on this package;
this package imports none of them.
"""
