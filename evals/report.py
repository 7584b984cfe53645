"""A self-contained HTML report (inline CSS and SVG, no scripts, no CDN) and a Markdown summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from evals.baseline import Comparison
from evals.metrics import DIRECTIONS, CaseScore, Summary, holds_evidence, percentile
from evals.sets import EvalCase

LABELS: dict[str, tuple[str, str]] = {
    "pass_rate": ("Geslaagd", "Deel van alle vragen dat goed ging."),
    "hit@1": ("Juiste passage als eerste bron", "De eerste bron bevat het antwoord."),
    "hit@3": ("Juiste passage in top 3", "Een van de eerste drie bronnen bevat het antwoord."),
    "hit@5": ("Juiste passage in top 5", "Een van de eerste vijf bronnen bevat het antwoord."),
    "mrr": (
        "Rangscore (MRR)",
        "1 = juiste passage altijd bovenaan; 0,5 = gemiddeld op plek twee; 0 = nooit gevonden.",
    ),
    "retrieval_hit@5": (
        "Zoeken: juiste passage in top 5",
        "Wat het zoeken vond: een van de eerste vijf gevonden passages bevat het antwoord. "
        "Het antwoord zou hier niet onder moeten zakken.",
    ),
    "retrieval_mrr": ("Zoeken: rangscore (MRR)", "Rangscore van de gevonden passages."),
    "citation_precision": ("Bronprecisie", "Deel van de getoonde bronnen dat klopt."),
    "refusal_accuracy": (
        "Terecht geweigerd",
        "Vragen waar de bronnen niets over zeggen (of trucs) die netjes geweigerd werden.",
    ),
    "false_refusal_rate": (
        "Onterecht geweigerd",
        "Vragen die wél beantwoord hadden moeten worden maar geweigerd werden (lager is beter).",
    ),
    "faithfulness": (
        "Getrouwheid",
        "Alleen bij gegenereerde antwoorden: deel van de zinnen dat door de eigen bron gedekt is.",
    ),
    "error_rate": ("Fouten", "Vragen waarbij het systeem een fout gaf (lager is beter)."),
    "latency_p50_ms": ("Antwoordtijd (mediaan)", "De helft van de antwoorden was sneller."),
    "latency_p95_ms": ("Antwoordtijd (95%)", "95 van de 100 antwoorden waren sneller."),
}
HEADLINE = (
    "pass_rate",
    "hit@1",
    "hit@5",
    "retrieval_hit@5",
    "mrr",
    "retrieval_mrr",
    "citation_precision",
    "refusal_accuracy",
    "false_refusal_rate",
    "faithfulness",
    "error_rate",
    "latency_p50_ms",
    "latency_p95_ms",
)
RATE_BARS = tuple(m for m in DIRECTIONS if not m.startswith("latency"))
GOOD, BAD, NEUTRAL = "#1a7f37", "#c62828", "#6b7280"


@dataclass
class RunInfo:
    """What was run, for the report header."""

    sets: list[str]
    target: str  # 'in-process' or the server URL
    started: str
    k: int = 5
    extra: dict[str, str] = field(default_factory=dict)


# ----------------------------------------------------------------------------- formatting
def fmt(name: str, value: float | None) -> str:
    """A metric value in Dutch notation."""
    if value is None:
        return "–"
    if name.startswith("latency"):
        return f"{value:.0f} ms" if value < 1000 else f"{value / 1000:.1f} s".replace(".", ",")
    if name.endswith("mrr"):
        return f"{value:.2f}".replace(".", ",")
    return f"{value * 100:.1f}%".replace(".", ",")


def fmt_delta(name: str, delta: float | None) -> str:
    """A change in Dutch notation (percentage points for rates)."""
    if delta is None:
        return ""
    if name.startswith("latency"):
        return f"{delta:+.0f} ms"
    if name.endswith("mrr"):
        return f"{delta:+.2f}".replace(".", ",")
    return f"{delta * 100:+.1f} pt".replace(".", ",")


def _color(better: bool | None) -> str:
    return NEUTRAL if better is None else (GOOD if better else BAD)


# ----------------------------------------------------------------------------- markdown
def render_markdown(
    summary: Summary, comparison: Comparison | None, info: RunInfo, max_failures: int = 15
) -> str:
    """Short summary for CI logs."""
    o = summary.overall
    lines = [
        f"## Evaluatie: {', '.join(info.sets)} ({o['n']} vragen, {o['passed']} geslaagd)",
        "",
        "| Meting | Nu | Basislijn | Verschil |",
        "|---|---|---|---|",
    ]
    comparable = comparison is not None and comparison.comparable
    for name in HEADLINE:
        change = comparison.change(name) if comparable else None
        base = fmt(name, change.baseline) if change else "–"
        delta = "" if not change or change.delta is None else fmt_delta(name, change.delta)
        delta = "gelijk" if change and change.delta == 0 else delta
        flag = " ⚠" if change and change.regressed else ""
        lines.append(f"| {LABELS[name][0]} | {fmt(name, o.get(name))} | {base} | {delta}{flag} |")
    lines.append("")
    lines.extend(_verdict_lines(comparison))
    failed = [c for c in summary.cases if not c.passed]
    if failed:
        shown = ", ".join(c.id for c in failed[:max_failures])
        more = f" (+{len(failed) - max_failures})" if len(failed) > max_failures else ""
        lines.append(f"Mislukt: {shown}{more}")
    return "\n".join(lines) + "\n"


def _verdict_lines(comparison: Comparison | None) -> list[str]:
    if comparison is None:
        return ["Geen basislijn gevonden: niets vergeleken."]
    if not comparison.comparable:
        return [comparison.note]
    lines = []
    if comparison.regressed:
        names = ", ".join(LABELS.get(n, (n,))[0] for n in comparison.regressions)
        lines.append(
            f"**ACHTERUITGANG** (tolerantie {comparison.tolerance * 100:.0f} pt): {names}".replace(
                ".", ","
            )
        )
    else:
        lines.append("Geen achteruitgang ten opzichte van de basislijn.")
    if comparison.newly_failed:
        lines.append(f"Van geslaagd naar mislukt: {', '.join(comparison.newly_failed)}")
    if comparison.newly_passed:
        lines.append(f"Van mislukt naar geslaagd: {', '.join(comparison.newly_passed)}")
    return lines


# ----------------------------------------------------------------------------- svg charts
def svg_metric_bars(summary: Summary, comparison: Comparison | None) -> str:
    """Horizontal bars per rate metric, with a tick at the baseline value."""
    rows = [(m, summary.overall.get(m)) for m in RATE_BARS]
    rows = [(m, v) for m, v in rows if v is not None]
    bars = []
    for name, value in rows:
        change = comparison.change(name) if comparison and comparison.comparable else None
        base = change.baseline if change else None
        color = _color(change.better) if change and change.delta else "#2f6fb3"
        bars.append((LABELS[name][0], value, fmt(name, value), color, base))
    return _hbars(bars, legend_baseline=comparison is not None)


def svg_group_bars(summary: Summary) -> str:
    """Horizontal bars: share passed per tag and language."""
    bars = []
    for group, metrics in summary.groups.items():
        rate = metrics["pass_rate"] or 0.0
        color = GOOD if rate >= 0.8 else ("#d97706" if rate >= 0.5 else BAD)
        label = group.replace("taal:", "taal: ")
        bars.append((label, rate, f"{metrics['passed']}/{metrics['n']}", color, None))
    return _hbars(bars)


def _hbars(bars: Sequence[tuple[str, float, str, str, float | None]], legend_baseline=False) -> str:
    label_w, bar_w, row_h, value_w = 250, 360, 24, 80
    width = label_w + bar_w + value_w
    height = row_h * len(bars) + (22 if legend_baseline else 6)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="chart">'
    ]
    for i, (label, value, text, color, base) in enumerate(bars):
        y = i * row_h
        w = max(0.0, min(1.0, value)) * bar_w
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" fill="#eef1f5"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="16" fill="{color}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 16}">{escape(text)}</text>'
        )
        if base is not None:
            bx = label_w + max(0.0, min(1.0, base)) * bar_w
            parts.append(
                f'<line x1="{bx:.1f}" x2="{bx:.1f}" y1="{y + 1}" y2="{y + 23}" '
                f'stroke="#111" stroke-width="2"><title>basislijn</title></line>'
            )
    if legend_baseline:
        y = row_h * len(bars) + 14
        parts.append(
            f'<line x1="{label_w}" x2="{label_w}" y1="{y - 10}" y2="{y + 2}" stroke="#111" '
            f'stroke-width="2"/><text x="{label_w + 6}" y="{y}">= basislijn</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_latency(latencies: Sequence[float], bins: int = 12) -> str:
    """Histogram of answer times with the median and 95th percentile marked."""
    if not latencies:
        return "<p>Geen antwoordtijden gemeten.</p>"
    lo, hi = min(latencies), max(latencies)
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for v in latencies:
        counts[min(bins - 1, int((v - lo) / span * bins))] += 1
    left, width, height, top, bottom = 40, 600, 180, 10, 34
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = max(counts)
    bw = plot_w / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="chart">',
        f'<text x="4" y="{top + 10}">{peak}</text><text x="4" y="{top + plot_h}">0</text>',
    ]
    for i, c in enumerate(counts):
        h = plot_h * c / peak
        x = left + i * bw
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bw - 2:.1f}" '
            f'height="{h:.1f}" fill="#2f6fb3"><title>{c} vragen</title></rect>'
        )
    for q, color in ((50, "#111"), (95, BAD)):
        v = percentile(latencies, q) or lo
        x = left + (v - lo) / span * plot_w
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="{color}" '
            f'stroke-dasharray="4 3" stroke-width="2"/>'
            f'<text x="{x + 3:.1f}" y="{top + 12 + (q == 95) * 14}" fill="{color}">'
            f"p{q}: {escape(fmt('latency_p50_ms', v))}</text>"
        )
    axis_y = top + plot_h + 16
    parts.append(
        f'<text x="{left}" y="{axis_y}">{escape(fmt("latency_p50_ms", lo))}</text>'
        f'<text x="{left + plot_w}" y="{axis_y}" text-anchor="end">'
        f"{escape(fmt('latency_p50_ms', hi))}</text>"
        f'<text x="{left + plot_w / 2}" y="{axis_y + 14}" text-anchor="middle">'
        f"antwoordtijd per vraag (aantal vragen per tijdvak)</text></svg>"
    )
    return "".join(parts)


# ----------------------------------------------------------------------------- html page
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1f2937;
background:#f7f8fa;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:32px 0 8px}
.meta{color:#6b7280;font-size:.9rem}
.verdict{padding:14px 18px;border-radius:8px;margin:18px 0;font-weight:600}
.verdict.ok{background:#e6f4ea;color:#1a7f37}.verdict.bad{background:#fdecea;color:#c62828}
.verdict.none{background:#eef1f5;color:#374151}
.verdict ul{margin:6px 0 0;font-weight:400}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px}
.card .label{font-size:.85rem;color:#374151}.card .value{font-size:1.6rem;font-weight:700}
.card .delta{font-size:.9rem;font-weight:600}.card .help{font-size:.75rem;color:#6b7280}
.chart text{font-size:12px;fill:#1f2937}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.88rem}
th,td{border:1px solid #e5e7eb;padding:6px 8px;vertical-align:top;text-align:left}
th{background:#eef1f5;position:sticky;top:0}
tr.fail td:first-child{border-left:4px solid #c62828}
tr.pass td:first-child{border-left:4px solid #1a7f37}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.78rem;font-weight:600;
white-space:nowrap}
.b-pass{background:#e6f4ea;color:#1a7f37}.b-fail{background:#fdecea;color:#c62828}
.b-new{background:#c62828;color:#fff}.b-fixed{background:#1a7f37;color:#fff}
.b-info{background:#eef1f5;color:#374151}
.answer{white-space:pre-wrap;max-width:420px}.small{font-size:.78rem;color:#6b7280}
ol.cites{margin:0;padding-left:18px}ol.cites li{margin-bottom:4px}
details summary{cursor:pointer}.cite-text{white-space:pre-wrap;font-size:.8rem;background:#f7f8fa;
padding:6px;border-radius:4px}.ok{color:#1a7f37;font-weight:700}
.legend dt{font-weight:600}.legend dd{margin:0 0 8px 0;color:#374151}
"""


def render_html(
    cases: Sequence[EvalCase],
    results: Mapping[str, Mapping[str, Any]],
    summary: Summary,
    comparison: Comparison | None,
    info: RunInfo,
) -> str:
    """The whole report as one HTML document."""
    latencies = [s.latency_ms for s in summary.cases if s.latency_ms is not None and not s.error]
    body = [
        "<h1>Evaluatierapport Sociale Innovatie Assistent</h1>",
        _meta_html(summary, info),
        _verdict_html(comparison),
        "<h2>Kerncijfers</h2>",
        _cards_html(summary, comparison),
        "<h2>Alle metingen</h2>",
        svg_metric_bars(summary, comparison),
        "<h2>Per onderwerp en taal (deel geslaagd)</h2>",
        svg_group_bars(summary),
        "<h2>Antwoordtijden</h2>",
        svg_latency(latencies),
        f"<h2>Alle vragen ({len(cases)}), mislukte eerst</h2>",
        _table_html(cases, results, summary, comparison),
        "<h2>Uitleg van de metingen</h2>",
        _legend_html(),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Evaluatie – {escape(', '.join(info.sets))}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )


def write_report(path: Path | str, html: str) -> Path:
    """Write the HTML report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def _meta_html(summary: Summary, info: RunInfo) -> str:
    o = summary.overall
    extra = "".join(f" · {escape(k)}: {escape(v)}" for k, v in info.extra.items())
    return (
        f'<p class="meta">Vragensets: {escape(", ".join(info.sets))} · {o["n"]} vragen, '
        f"{o['passed']} geslaagd · bron: {escape(info.target)} · k = {info.k} · "
        f"gestart {escape(info.started)}{extra}</p>"
    )


def _verdict_html(comparison: Comparison | None) -> str:
    if comparison is None:
        return '<div class="verdict none">Er is nog geen basislijn: niets vergeleken.</div>'
    if not comparison.comparable:
        return f'<div class="verdict none">{escape(comparison.note)}</div>'
    items = []
    if comparison.newly_failed:
        items.append(f"Van geslaagd naar mislukt: {', '.join(comparison.newly_failed)}")
    if comparison.newly_passed:
        items.append(f"Van mislukt naar geslaagd: {', '.join(comparison.newly_passed)}")
    if comparison.new_cases:
        items.append(f"Nieuwe vragen (nog niet in de basislijn): {len(comparison.new_cases)}")
    listing = "".join(f"<li>{escape(i)}</li>" for i in items)
    listing = f"<ul>{listing}</ul>" if listing else ""
    tol = f"{comparison.tolerance * 100:.0f}".replace(".", ",")
    if comparison.regressed:
        names = ", ".join(LABELS.get(n, (n,))[0] for n in comparison.regressions)
        return (
            f'<div class="verdict bad">Slechter dan de basislijn (meer dan {tol} procentpunt '
            f"achteruit): {escape(names)}{listing}</div>"
        )
    return (
        f'<div class="verdict ok">Geen achteruitgang ten opzichte van de basislijn '
        f"(toegestane marge {tol} procentpunt).{listing}</div>"
    )


def _cards_html(summary: Summary, comparison: Comparison | None) -> str:
    cards = []
    for name in HEADLINE:
        value = summary.overall.get(name)
        change = comparison.change(name) if comparison and comparison.comparable else None
        delta = ""
        if change and change.delta is not None:
            word = "gelijk aan basislijn" if not change.delta else "t.o.v. basislijn"
            shown = fmt_delta(name, change.delta) if change.delta else ""
            delta = (
                f'<div class="delta" style="color:{_color(change.better)}">'
                f"{escape(shown)} {word}</div>"
            )
        label, help_text = LABELS[name]
        cards.append(
            f'<div class="card"><div class="label">{escape(label)}</div>'
            f'<div class="value">{escape(fmt(name, value))}</div>{delta}'
            f'<div class="help">{escape(help_text)}</div></div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _order(score: CaseScore, comparison: Comparison | None) -> tuple[int, str]:
    newly = comparison is not None and score.id in comparison.newly_failed
    return (0 if newly else 1 if not score.passed else 2, score.id)


def _table_html(cases, results, summary: Summary, comparison: Comparison | None) -> str:
    by_case = {c.id: c for c in cases}
    rows = []
    for score in sorted(summary.cases, key=lambda s: _order(s, comparison)):
        case, result = by_case[score.id], results.get(score.id, {})
        rows.append(
            f'<tr class="{"pass" if score.passed else "fail"}" id="q-{escape(case.id)}">'
            f"<td>{_status_html(score, comparison)}</td>"
            f"<td>{_question_html(case, result.get('history'))}</td>"
            f"<td>{_expected_html(case)}</td>"
            f"<td>{_answer_html(score, result)}</td><td>{_citations_html(case, result)}</td>"
            f"<td>{escape(fmt('latency_p50_ms', score.latency_ms))}</td></tr>"
        )
    head = (
        "<tr><th>Resultaat</th><th>Vraag</th><th>Verwacht</th><th>Antwoord</th>"
        "<th>Bronnen (✓ = bevat het verwachte antwoord)</th><th>Tijd</th></tr>"
    )
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _status_html(score: CaseScore, comparison: Comparison | None) -> str:
    badge = (
        '<span class="badge b-pass">Geslaagd</span>'
        if score.passed
        else '<span class="badge b-fail">Mislukt</span>'
    )
    if comparison and score.id in comparison.newly_failed:
        badge += '<br><span class="badge b-new">nieuw mislukt</span>'
    if comparison and score.id in comparison.newly_passed:
        badge += '<br><span class="badge b-fixed">nu geslaagd</span>'
    if score.hit_rank:
        badge += f'<div class="small">juiste bron op plek {score.hit_rank}</div>'
    if score.has_evidence and not score.refuse_expected:
        found = f"op plek {score.retrieval_rank}" if score.retrieval_rank else "niet"
        lost = score.retrieval_rank and score.retrieval_rank <= 5 and not score.hit_rank
        warn = ' <span class="badge b-fail">niet geciteerd</span>' if lost else ""
        badge += f'<div class="small">zoeken vond hem {found}{warn}</div>'
    return badge


def _question_html(case: EvalCase, replayed: list[dict] | None = None) -> str:
    """The question, with the conversation before it: the set's, or the one the run
    replayed with the assistant's own answers (--replay-history)."""
    parts = [f'<div class="small">{escape(case.id)} · {escape(case.lang)}</div>']
    history = replayed or case.history
    if history:
        turns = "".join(
            f'<div style="white-space:pre-line">'
            f"<b>{'gebruiker' if t['role'] == 'user' else 'assistent'}:</b> "
            f"{escape(t['content'])}</div>"
            for t in history
        )
        label = "eerder gesprek (eigen antwoorden)" if replayed else "eerder gesprek"
        parts.append(f"<details><summary>{label}</summary>{turns}</details>")
    parts.append(f"<div>{escape(case.question)}</div>")
    if case.tags:
        parts.append(f'<div class="small">{escape(", ".join(case.tags))}</div>')
    return "".join(parts)


def _expected_html(case: EvalCase) -> str:
    if case.refuse:
        return "Weigeren: de bronnen gaan hier niet over."
    if case.evidence:
        quoted = "".join(f"<li>“{escape(e)}”</li>" for e in case.evidence)
        return f"Een bron met een van:<ul>{quoted}</ul>"
    if case.doc_id:
        return f"Een bron uit {escape(case.doc_id)}"
    return "Een antwoord (geen weigering)"


def _answer_html(score: CaseScore, result: Mapping[str, Any]) -> str:
    parts = []
    if score.error:
        parts.append(f'<span class="badge b-fail">fout</span> {escape(score.error)}')
    if score.refused:
        parts.append('<span class="badge b-info">geweigerd</span>')
    if result.get("mode"):
        parts.append(f'<span class="small">{escape(str(result["mode"]))}</span>')
    if score.faithfulness is not None:
        parts.append(
            f'<span class="small">getrouwheid {fmt("faithfulness", score.faithfulness)}</span>'
        )
    answer = escape(result.get("answer") or "")
    return " ".join(parts) + f'<div class="answer">{answer}</div>'


def _citations_html(case: EvalCase, result: Mapping[str, Any]) -> str:
    citations = result.get("citations") or []
    if not citations:
        return '<span class="small">geen bronnen</span>'
    items = []
    for c in citations:
        mark = (
            ' <span class="ok">✓</span>' if holds_evidence(c.get("text", ""), case.evidence) else ""
        )
        section = f" — {escape(c.get('section') or '')}" if c.get("section") else ""
        items.append(
            f"<li>[{escape(str(c.get('n', '')))}] {escape(c.get('title') or c.get('doc_id', ''))}, "
            f"p. {escape(str(c.get('page', '')))}{section}{mark}"
            f'<details><summary>tekst</summary><div class="cite-text">'
            f"{escape(c.get('text', ''))}</div></details></li>"
        )
    return f'<ol class="cites">{"".join(items)}</ol>'


def _legend_html() -> str:
    items = "".join(
        f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>" for label, text in LABELS.values()
    )
    return (
        f'<dl class="legend">{items}<dt>Geslaagd (per vraag)</dt><dd>Een vraag buiten de bronnen '
        "is geslaagd als hij geweigerd werd; een gewone vraag als hij niet geweigerd werd en een "
        "van de eerste k bronnen de verwachte passage bevat.</dd></dl>"
    )
