"""One evaluation run end to end: ask, score, compare with the baseline, write the outputs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from assistant.container import Container
from assistant.core.errors import InvalidInputError
from assistant.core.settings import PROJECT_ROOT
from evals.baseline import Comparison, baseline_from, compare, load_baseline, write_baseline
from evals.metrics import Summary, summarize
from evals.report import RunInfo, render_html, render_markdown, write_report
from evals.runner import (
    AnswersQuestions,
    HttpAnsweringClient,
    LazySupportCheck,
    PassageLookup,
    SupportCheck,
    run_cases,
    write_results,
)
from evals.sets import load_sets

log = logging.getLogger(__name__)

DEFAULT_BASELINE = PROJECT_ROOT / "evals" / "baseline.json"
EXIT_OK, EXIT_REGRESSION = 0, 1
REPLAYED_NOTE = (
    "Vervolgvragen kregen de eigen eerdere antwoorden als geschiedenis, de basislijn de "
    "geschreven: niet vergeleken."
)


@dataclass
class EvalOptions:
    """What to run and where to write it."""

    sets: list[Path]
    out: Path
    report: Path
    baseline: Path = DEFAULT_BASELINE
    update_baseline: bool = False
    k: int = 5
    progress: bool = True
    replay_history: bool = False  # follow-ups get the service's own earlier answers


@dataclass
class EvalOutcome:
    """What a run produced."""

    summary: Summary
    comparison: Comparison | None
    markdown: str
    results_path: Path
    report_path: Path
    baseline_written: Path | None = None

    @property
    def exit_code(self) -> int:
        """1 on a regression against the baseline (unless the baseline was just rewritten)."""
        if self.baseline_written is None and self.comparison and self.comparison.regressed:
            return EXIT_REGRESSION
        return EXIT_OK


def build_target(
    container: Container, url: str | None
) -> tuple[AnswersQuestions, SupportCheck, str]:
    """The service to ask (in-process or a server), its support check and a label."""
    if url:
        return HttpAnsweringClient(url), LazySupportCheck(lambda: _local_check(container)), url
    return container.answering, container.scorer.supports, "in-process"


def passage_lookup(service: AnswersQuestions, container: Container | None) -> PassageLookup:
    """Passage texts by chunk id: from the server for --url, else from the live index."""
    if isinstance(service, HttpAnsweringClient):
        return service.passages
    assert container is not None

    def lookup(ids: list[str]) -> dict[str, str]:
        by_id = {c.chunk_id: c.text for c in container.retriever.chunks}
        return {cid: by_id.get(cid, "") for cid in ids}

    return lookup


def _local_check(container: Container) -> SupportCheck:
    """The answering service's support check with a locally built embedder (for --url)."""
    from assistant.answering.support import SentenceScorer

    return SentenceScorer(container.embedder).supports


def run_evaluation(
    options: EvalOptions,
    service: AnswersQuestions,
    supports: SupportCheck | None = None,
    target: str = "in-process",
    passages: PassageLookup | None = None,
) -> EvalOutcome:
    """Run the sets through the service and write results, report and (optionally) baseline."""
    if options.replay_history and options.update_baseline:
        raise InvalidInputError(
            "--update-baseline gaat niet samen met --replay-history: de basislijn hoort bij "
            "de geschreven geschiedenis van de vervolgvragen."
        )
    cases = load_sets(options.sets)
    set_names = [p.name for p in options.sets]
    started = datetime.now().strftime("%Y-%m-%d %H:%M")
    records = run_cases(
        service, cases, supports, options.progress, passages, options.replay_history
    )
    results_path = write_results(options.out, records)
    summary = summarize(cases, {r["id"]: r for r in records}, options.k)
    old = load_baseline(options.baseline)
    comparison = compare(old, summary, set_names) if old else None
    extra = {}
    if options.replay_history:
        extra["vervolgvragen"] = "met de eigen eerdere antwoorden"
        if comparison is not None:
            comparison = replace(comparison, comparable=False, note=REPLAYED_NOTE)
    info = RunInfo(sets=set_names, target=target, started=started, k=options.k, extra=extra)
    html = render_html(cases, {r["id"]: r for r in records}, summary, comparison, info)
    outcome = EvalOutcome(
        summary=summary,
        comparison=comparison,
        markdown=render_markdown(summary, comparison, info),
        results_path=results_path,
        report_path=write_report(options.report, html),
    )
    if options.update_baseline:
        tolerance = old.get("tolerance") if old else None
        document = baseline_from(summary, set_names, tolerance)
        outcome.baseline_written = write_baseline(options.baseline, document)
    log.info("eval done n=%s passed=%s", summary.overall["n"], summary.overall["passed"])
    return outcome
