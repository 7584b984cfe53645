"""The HTML report renders, is self-contained, lists every question with failures first."""

from __future__ import annotations

import re

from evals.baseline import baseline_from, compare
from evals.metrics import summarize
from evals.report import RunInfo, fmt, fmt_delta, render_html, render_markdown, svg_latency
from evals.sets import EvalCase

EVIDENCE = "geef vertrouwen en erkenning"
CASES = [
    EvalCase(id="goed", question="Hoe motiveer ik <mijn> mensen?", evidence=(EVIDENCE,)),
    EvalCase(
        id="fout", question="Wat is co-creatie?", evidence=("samen vernieuwende oplossingen",)
    ),
    EvalCase(
        id="vervolg",
        question="En het eerste?",
        history=({"role": "user", "content": "Welke onderdelen zijn er?"},),
        evidence=(EVIDENCE,),
        tags=("followup",),
    ),
    EvalCase(id="weer", question="Wat voor weer wordt het?", refuse=True, tags=("refuse",)),
    EvalCase(id="stuk", question="Wat gebeurt er bij een fout?", lang="en"),
]


def cite(text: str) -> dict:
    return {"n": 1, "doc_id": "d", "title": "Briefadvies", "page": "10", "text": text}


def result(answer: str, citations: list, refused=False, latency_ms=10.0, error=None) -> dict:
    return {
        "answer": answer,
        "citations": citations,
        "refused": refused,
        "mode": "extractief",
        "latency_ms": latency_ms,
        "error": error,
    }


RESULTS = {
    "goed": result(f'- "{EVIDENCE}" [1]', [cite(EVIDENCE)], latency_ms=12.0),
    "fout": result("- iets [1]", [cite("iets anders")], latency_ms=30.0),
    "vervolg": result("x", [cite(EVIDENCE)], latency_ms=18.0),
    "weer": result("Daar gaan de bronnen niet over.", [], refused=True, latency_ms=3.0),
    "stuk": result("", [], latency_ms=1.0, error="RuntimeError: boem"),
}
INFO = RunInfo(sets=["test.jsonl"], target="in-process", started="2025-01-01 12:00")


def render(comparison=None) -> str:
    return render_html(CASES, RESULTS, summarize(CASES, RESULTS), comparison, INFO)


def test_report_contains_every_question_escaped():
    html = render()
    for case in CASES:
        assert f'id="q-{case.id}"' in html
    assert "Hoe motiveer ik &lt;mijn&gt; mensen?" in html
    assert "Welke onderdelen zijn er?" in html  # the history of the follow-up
    assert "RuntimeError: boem" in html


def test_report_is_self_contained():
    html = render()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert html.count("<svg") == 3  # metric bars, group bars, latency histogram


def test_failures_come_first_and_newly_failed_before_them():
    summary = summarize(CASES, RESULTS)
    old = baseline_from(summary, ["test.jsonl"])
    old["cases"]["stuk"] = True  # it passed before
    html = render(compare(old, summary, ["test.jsonl"]))
    order = [html.index(f'id="q-{i}"') for i in ("stuk", "fout", "goed", "vervolg", "weer")]
    assert order == sorted(order)
    assert "nieuw mislukt" in html
    assert "Van geslaagd naar mislukt: stuk" in html  # named even when no metric regressed


def test_headline_shows_change_against_the_baseline_in_colour():
    better = summarize(CASES, RESULTS)
    old = baseline_from(better, ["test.jsonl"])
    old["metrics"]["hit@1"] = 0.25
    html = render(compare(old, better, ["test.jsonl"]))
    assert "+41,7 pt t.o.v. basislijn" in html
    assert 'style="color:#1a7f37"' in html  # green for the improvement
    assert "Geen achteruitgang" in html


def test_report_without_baseline_says_so():
    assert "nog geen basislijn" in render()


def test_markdown_summary_lists_metrics_and_failures():
    md = render_markdown(summarize(CASES, RESULTS), None, INFO)
    assert md.startswith("## Evaluatie: test.jsonl (5 vragen, 3 geslaagd)")
    assert "| Juiste passage als eerste bron | 66,7% |" in md
    assert "Mislukt: fout, stuk" in md


def test_dutch_number_formats():
    assert fmt("hit@1", 0.5) == "50,0%"
    assert fmt("mrr", 0.756) == "0,76"
    assert fmt("latency_p95_ms", 1534.0) == "1,5 s"
    assert fmt("faithfulness", None) == "–"
    assert fmt_delta("hit@1", -0.031) == "-3,1 pt"


def test_latency_histogram_handles_equal_and_missing_values():
    assert "<svg" in svg_latency([5.0, 5.0, 5.0])
    assert "Geen antwoordtijden" in svg_latency([])


def test_markdown_for_another_set_shows_no_baseline_numbers():
    summary = summarize(CASES, RESULTS)
    other = compare(baseline_from(summary, ["dev.jsonl"]), summary, ["test.jsonl"])
    md = render_markdown(summary, other, INFO)
    assert "| Geslaagd | 60,0% | – |  |" in md
    assert "niet vergeleken" in md


def test_report_flags_a_passage_retrieval_found_but_the_answer_did_not_cite():
    from evals.sets import EvalCase

    lost = EvalCase(id="lost", question="Waar staat het?", evidence=("het antwoord staat hier",))
    records = {
        "lost": {
            "citations": [{"n": 1, "doc_id": "d", "text": "iets anders", "title": "T",
                           "page": "1", "section": ""}],
            "retrieved": [{"chunk_id": "c", "text": "het antwoord staat hier"}],
            "refused": False, "error": None, "latency_ms": 5.0, "answer": "x [1]",
        }
    }  # fmt: skip
    html = render_html([lost], records, summarize([lost], records), None, INFO)
    assert "zoeken vond hem op plek 1" in html and "niet geciteerd" in html
