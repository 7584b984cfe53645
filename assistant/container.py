"""The composition root: every component of the app is built here, once, from Settings.

API, UI, CLI, evals and bench get a Container and ask it for what they need; nothing else
constructs components. Each component is built on first use (a CLI command that only
searches never loads a chat model), and a part given to the constructor is used instead
of building one, which is how tests register fakes:

    Container(settings, retriever=FakeRetriever(chunks), chat_model=FakeChatModel([...]))

    settings ─┬─ synonyms, embedder ── retriever ─┬─ scorer ─┬─ answering ── briefing
              ├─ chat_model, tuning, borders, ────┴──────────┘
              │  scope_model (learned refusal signal, for the index's embedder)
              ├─ selfscan (retriever, scorer; shares go to feedback)
              ├─ feedback
              └─ indexer (ingest into the live index, with the same embedder) ── library
                 (Beheer: corpus folder + manifest + index jobs, on indexer and retriever)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from assistant.core.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.answering.scope_model import ScopeModel
    from assistant.answering.service import AnsweringService, ServiceTuning
    from assistant.answering.support import SentenceScorer
    from assistant.briefing.service import BriefingService
    from assistant.core.embedding import Embedder
    from assistant.core.glossary import TermList
    from assistant.core.retrieval import Retriever
    from assistant.core.types import DocumentRecord
    from assistant.feedback import FeedbackStore
    from assistant.library.service import Library
    from assistant.selfscan.service import SelfScanService

log = logging.getLogger(__name__)

COMPONENTS = (
    "synonyms",
    "borders",
    "embedder",
    "retriever",
    "scorer",
    "chat_model",
    "tuning",
    "scope_model",
    "answering",
    "briefing",
    "selfscan",
    "feedback",
    "indexer",
    "library",
)


class Indexer(Protocol):
    """Ingests files or folders into the live index (assistant ingest, POST /api/ingest)."""

    def ingest(
        self, paths: Sequence[Path], *, rebuild: bool = False, progress: bool | None = None
    ) -> Any:
        """Run one ingest; returns the report (ingest.pipeline.IngestReport)."""
        ...

    def remove(self, doc_ids: Sequence[str]) -> list[str]:
        """Take documents out of the live index; returns the ids that were in it."""
        ...


class Container:
    """Builds each component once, from Settings, on first use; given parts win."""

    def __init__(self, settings: Settings, **given: Any) -> None:
        unknown = sorted(set(given) - set(COMPONENTS))
        if unknown:
            raise TypeError(f"unknown component(s): {', '.join(unknown)}")
        self.settings = settings
        self._given = dict(given)
        self.__dict__.update(given)  # cached_property reads the instance dict first

    def derive(self, **changes: Any) -> Container:
        """A new container with changed settings and the same given parts (nothing built)."""
        return Container(self.settings.model_copy(update=changes), **self._given)

    @cached_property
    def synonyms(self) -> TermList:
        """Owner and English wording -> document wording (prompts/synonyms.txt)."""
        from assistant.core.glossary import TermList

        return TermList.load(self.settings.synonyms_file)

    @cached_property
    def borders(self) -> TermList:
        """Neighbouring topics the documents do not cover (prompts/borders.txt)."""
        from assistant.core.glossary import TermList

        return TermList.load(self.settings.borders_file)

    @cached_property
    def embedder(self) -> Embedder:
        """The embedding model the settings name."""
        from assistant.core.embedding import build_embedder

        return build_embedder(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        """The live hybrid index (fails clearly when nothing was ingested yet)."""
        from assistant.core.retrieval import open_retriever

        return open_retriever(self.settings, self.embedder, self.synonyms)

    @cached_property
    def scorer(self) -> SentenceScorer:
        """Sentence relevance and citation support, with the index's embedder."""
        from assistant.answering.support import SentenceScorer

        return SentenceScorer(self.retriever.embedder)

    @cached_property
    def chat_model(self) -> BaseChatModel | None:
        """The language model the settings name, or None (extractive answers)."""
        from assistant.answering.llm import build_chat_model

        return build_chat_model(self.settings)

    @cached_property
    def tuning(self) -> ServiceTuning:
        """The calibrated constants of answering (scope policy, sentence selection)."""
        from assistant.answering.service import ServiceTuning

        return ServiceTuning()

    @cached_property
    def scope_model(self) -> ScopeModel | None:
        """The learned neighbouring-topic signal of the refusal decision, if the settings
        name one trained for the index's embedder."""
        from assistant.answering.scope_model import load_scope_model

        embedder = self.retriever.embedder
        return load_scope_model(self.settings.scope_model_file, embedder.name, embedder.dimension)

    @cached_property
    def answering(self) -> AnsweringService:
        """The answering service over the live index."""
        from assistant.answering.service import AnsweringService

        return AnsweringService(
            self.settings,
            self.retriever,
            self.chat_model,
            scorer=self.scorer,
            tuning=self.tuning,
            synonyms=self.synonyms,
            borders=self.borders,
            scope_model=self.scope_model,
        )

    @cached_property
    def briefing(self) -> BriefingService:
        """Session briefs: the answering service's index, scorer, model and scope policy."""
        from assistant.briefing.service import BriefingService, BriefTuning

        tuning = BriefTuning(scope=self.tuning.scope)
        return BriefingService(self.settings, self.retriever, self.scorer, self.chat_model, tuning)

    @cached_property
    def selfscan(self) -> SelfScanService:
        """The owners' self-scan (checks prompts/scan.yaml); shares go to the feedback store."""
        from assistant.selfscan.service import SelfScanService

        return SelfScanService(self.settings, self.retriever, self.scorer, store=self.feedback)

    @cached_property
    def feedback(self) -> FeedbackStore:
        """The feedback database in the data dir."""
        from assistant.feedback import FeedbackStore

        return FeedbackStore.from_settings(self.settings)

    @cached_property
    def indexer(self) -> Indexer:
        """Ingest with this container's embedder (so the index matches the retriever)."""
        return PipelineIndexer(self)

    @cached_property
    def library(self) -> Library:
        """Beheer: upload, edit, delete, re-index; repairs an interrupted change when built."""
        from assistant.library.service import Library

        return Library(self.settings, self.indexer, LiveIndex(self))

    def export_candidates(self, out: Path) -> int:
        """Write thumbs-down feedback as candidate eval cases (JSONL); returns how many."""
        from assistant.core.settings import PROJECT_ROOT
        from evals.candidates import export_candidates, known_cases

        sets = PROJECT_ROOT / "evals" / "sets"
        known = known_cases(sets) if sets.is_dir() else []
        return export_candidates(self.feedback, out, known)

    def warm_up(self) -> None:
        """Build what a server needs before its first request, and warm the answerer."""
        self.answering.warm_up(background=True)
        self.briefing  # noqa: B018 - built now rather than inside a first request
        self.selfscan.warm_up(background=True)  # a bad prompts/scan.yaml stops start-up here
        self.feedback  # noqa: B018
        self.library  # noqa: B018 - finishes a change of the corpus folder a crash cut off


class LiveIndex:
    """The serving index as Beheer sees it: the registry, and a refresh after each job."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def documents(self) -> dict[str, DocumentRecord]:
        """The live documents ({} before the first ingest)."""
        from assistant.core.errors import IndexEmptyError

        try:
            return self.container.retriever.documents()
        except IndexEmptyError:
            return {}

    def refresh(self) -> None:
        """Reload the retriever and let answering embed the new sentences."""
        from assistant.core.errors import IndexEmptyError

        try:
            retriever = self.container.retriever
        except IndexEmptyError:
            return
        retriever.refresh()
        if "answering" in vars(self.container):
            self.container.answering.refresh()


class PipelineIndexer:
    """The ingest pipeline (ingest/) run with a container's settings and embedder."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def ingest(
        self, paths: Sequence[Path], *, rebuild: bool = False, progress: bool | None = None
    ) -> Any:
        """Ingest the paths into the live index (or rebuild it); returns the report."""
        from ingest.pipeline import ingest_paths

        c = self.container
        return ingest_paths(c.settings, c.embedder, paths, rebuild=rebuild, progress=progress)

    def remove(self, doc_ids: Sequence[str]) -> list[str]:
        """Take documents out of the live index (registry, then chunks)."""
        from ingest.pipeline import remove_documents

        c = self.container
        return remove_documents(c.settings, c.embedder, doc_ids)
