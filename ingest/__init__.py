"""Ingestion: load -> clean -> chunk -> embed/index. Imports only the retrieval core."""
