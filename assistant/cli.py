"""Command line: `assistant ingest|search|...`. Output for users is Dutch."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from assistant.container import Container
from assistant.core.errors import AssistantError, InvalidInputError
from assistant.core.escaping import escape_controls
from assistant.core.logs import configure_logging
from assistant.core.settings import Settings
from assistant.core.types import Filters

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran but something in it failed (a file, a regression)
EXIT_USAGE = 2  # bad input or configuration


# ----------------------------------------------------------------------------- ingest
def cmd_ingest(args: argparse.Namespace, container: Container) -> int:
    """Ingest documents into the index and print a summary."""
    paths = [Path(p) for p in args.paths] or [container.settings.corpus_dir]
    report = container.indexer.ingest(
        paths, rebuild=args.rebuild, progress=False if args.quiet else None
    )
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_ingest_report(report)
    return EXIT_OK if report.ok else EXIT_FAILED


def _print_ingest_report(report) -> None:
    safe = escape_controls  # names come from the file system: never print them raw
    for name, reason in report.skipped:
        print(f"overgeslagen: {safe(name)}: {safe(reason)}", file=sys.stderr)
    for warning in report.warnings:
        print(f"let op: {safe(warning)}", file=sys.stderr)
    for doc_id, count in report.flagged:
        print(
            f"let op: document '{safe(doc_id)}' bevat {count} "
            f"{'zin' if count == 1 else 'zinnen'} gericht aan de assistent (zoals 'negeer alle "
            "eerdere instructies'); zulke zinnen worden nooit als antwoord geciteerd.",
            file=sys.stderr,
        )
    for name, reason in report.failed:
        print(f"MISLUKT: {safe(name)}: {safe(reason)}", file=sys.stderr)
    if not (report.chunks_embedded or report.deleted or report.failed or report.relabelled):
        print("Niets veranderd: alle documenten zijn al bijgewerkt; er is niets opnieuw ingebed.")
    print(
        f"Documenten: {len(report.added)} toegevoegd, {len(report.replaced)} vervangen, "
        f"{len(report.unchanged)} ongewijzigd, {len(report.relabelled)} alleen metadata "
        f"bijgewerkt, {len(report.deleted)} verwijderd, "
        f"{len(report.failed)} mislukt. Fragmenten: {report.chunks_embedded} ingebed, "
        f"{report.chunks_total} in de index. Tijd: {report.seconds:.1f} s "
        f"(waarvan inbedden {report.embed_seconds:.1f} s)."
    )


# ----------------------------------------------------------------------------- search
def cmd_search(args: argparse.Namespace, container: Container) -> int:
    """Print the best passages for a query."""
    query = args.query.strip()
    if not query:
        raise_input("Geef een zoekvraag op.")
    k = _check_k(args.k) or container.settings.top_k
    hits = container.retriever.search(query, k=k, filters=filters_from_args(args))
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not hits:
        print("Geen passages gevonden.")
    for rank, hit in enumerate(hits, start=1):
        c = hit.chunk
        section = f" — {c.section}" if c.section else ""
        print(f"[{rank}] {c.title}, p. {c.pages}{section}  (score {hit.score:.4f})")
        print(_indent(c.text))
        print()
    return EXIT_OK


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def filters_from_args(args: argparse.Namespace) -> Filters:
    """Filters from the common --type/--publisher/--year options."""
    return Filters(
        types=tuple(args.type or ()),
        publishers=tuple(args.publisher or ()),
        years=tuple(args.year or ()),
    )


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """Add --type/--publisher/--year (repeatable) to a subcommand."""
    parser.add_argument("--type", action="append", help="documenttype, bv. advies (herhaalbaar)")
    parser.add_argument("--publisher", action="append", help="uitgever (herhaalbaar)")
    parser.add_argument("--year", action="append", type=int, help="jaar (herhaalbaar)")


def raise_input(message: str) -> NoReturn:
    """Stop a command with a user-facing message."""
    raise InvalidInputError(message)


# ----------------------------------------------------------------------------- ask / chat
def cmd_ask(args: argparse.Namespace, container: Container) -> int:
    """Answer one question; print the answer and, below it, its numbered sources."""
    from assistant.answering.validation import clean_question

    question = clean_question(args.question)  # fail fast, before loading the index
    answer = container.answering.answer(question, filters=filters_from_args(args))
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_answer(answer)
        if answer.mode == "extractief" and not answer.refused:
            print(f"\n({container.answering.phrases.render('extractive_intro', answer.language)})")
    return EXIT_OK


def cmd_chat(args: argparse.Namespace, container: Container) -> int:
    """A conversation in the terminal; follow-up questions use the earlier turns."""
    from assistant.answering.types import Turn

    service = container.answering
    service.warm_up(background=True)
    filters = filters_from_args(args)
    print("Stel uw vraag over sociale innovatie. Typ 'stop' om te stoppen.")
    if service.mode == "extractief":
        print(service.phrases.render("extractive_intro"))
    history: list[Turn] = []
    while True:
        try:
            question = input("\nU: ").strip()
        except EOFError:
            print()
            break
        if question.lower() in {"stop", "exit", "quit", "doei"}:
            break
        if not question:
            continue
        try:
            answer = service.answer(question, history, filters)
        except InvalidInputError as exc:
            print(f"Fout: {exc}")
            continue
        print()
        print_answer(answer, passage_chars=300)
        history += [Turn("user", question), Turn("assistant", answer.text)]
    print("Tot ziens.")
    return EXIT_OK


def _check_k(k: int | None) -> int | None:
    if k is not None and not 1 <= k <= 50:
        raise_input("--k moet tussen 1 en 50 liggen.")
    return k


def print_answer(answer, passage_chars: int | None = None) -> None:
    """The answer text, then per citation: title, page, section and the cited passage."""
    print(answer.text)
    if not answer.citations:
        return
    print("\nBronnen:")
    for c in answer.citations:
        section = f" — {c.section}" if c.section else ""
        print(f"[{c.n}] {c.title}, p. {c.page}{section}")
        text = " ".join(c.text.split())
        if passage_chars and len(text) > passage_chars:
            text = text[:passage_chars].rsplit(" ", 1)[0] + " …"
        print(_indent(text))


# ----------------------------------------------------------------------------- eval
def cmd_eval(args: argparse.Namespace, container: Container) -> int:
    """Run question sets, write results and report, compare with the baseline (exit 1 = worse)."""
    from evals.evaluate import EvalOptions, build_target, passage_lookup, run_evaluation

    out_dir = container.settings.data_dir / "evals"
    options = EvalOptions(
        sets=[Path(p) for p in args.sets],
        out=Path(args.out) if args.out else out_dir / "results.jsonl",
        report=Path(args.report) if args.report else out_dir / "report.html",
        update_baseline=args.update_baseline,
        k=args.k,
        progress=not args.quiet,
        replay_history=args.replay_history,
    )
    if args.baseline:
        options.baseline = Path(args.baseline)
    if args.k < 1:
        raise_input("--k moet minstens 1 zijn.")
    service, supports, target = build_target(container, args.url)
    outcome = run_evaluation(options, service, supports, target, passage_lookup(service, container))
    print(outcome.markdown)
    print(f"Resultaten: {outcome.results_path}")
    print(f"Rapport: {outcome.report_path}")
    if outcome.baseline_written:
        print(f"Basislijn bijgewerkt: {outcome.baseline_written}")
    return outcome.exit_code


def cmd_feedback_export(args: argparse.Namespace, container: Container) -> int:
    """Turn thumbs-down feedback into candidate eval cases for review."""
    from evals.candidates import export_candidates, known_cases

    known = known_cases(args.sets_dir) if args.sets_dir else []
    count = export_candidates(container.feedback, Path(args.out), known)
    print(
        f"{count} kandidaatvragen geschreven naar {args.out} "
        "(nakijken en daarna naar een vragenset verplaatsen)."
    )
    return EXIT_OK


# ----------------------------------------------------------------------------- session
def cmd_session(args: argparse.Namespace, container: Container) -> int:
    """Write a cited session brief (.md, .docx or .json) for a workshop on a theme."""
    from assistant.briefing.files import brief_format, write_brief
    from assistant.briefing.validation import clean_request

    out = Path(args.out)
    brief_format(out)  # fail fast on input, before loading the index
    request = clean_request(args.thema, args.sector, args.omvang, args.duur)
    brief = container.briefing.build_brief(
        request.theme, request.sector, request.size, request.duration
    )
    write_brief(brief, out)
    print(f"Sessiebrief geschreven naar {out} ({len(brief.sources)} bronnen).")
    return EXIT_OK


# ----------------------------------------------------------------------------- scan
def cmd_scan(args: argparse.Namespace, container: Container) -> int:
    """Score a self-scan from a JSON file of answers; write the cited result (.docx/.md/.json)."""
    from assistant.selfscan.files import scan_format, write_scan
    from assistant.selfscan.scoring import clean_request
    from assistant.selfscan.templates import ScanTemplates

    # fail fast on the file and the answers, before loading the index
    templates = ScanTemplates.load(container.settings.prompts_dir)
    if args.stellingen:
        for lever in templates.spec.hefbomen:
            for statement in lever.stellingen:
                print(f"{statement.id}\t{lever.naam}\t{statement.tekst}")
        return EXIT_OK
    if not args.answers or not args.out:
        raise_input("Geef --answers antwoorden.json en --out scan.docx (of .md/.json) op.")
    out = Path(args.out)
    scan_format(out)
    body = _read_answers(Path(args.answers))
    sector = args.sector if args.sector is not None else body.get("sector")
    size = args.omvang if args.omvang is not None else body.get("omvang")
    request = clean_request(templates, body["answers"], sector, size)
    service = container.selfscan
    result = service.scan(request.answers, request.sector, request.size)
    write_scan(result, service.templates, out)
    print(f"Zelfscan geschreven naar {out} (begin bij: {result.start_lever}).")
    return EXIT_OK


def _read_answers(path: Path) -> dict:
    """{'answers': {...}, 'sector'?, 'omvang'?} from a file holding that or only the answers."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise_input(f"Het bestand {path} bestaat niet.")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise_input(f"{path} is geen geldige JSON ({exc}).")
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        return data
    return {"answers": data}


# ----------------------------------------------------------------------------- serve
def cmd_serve(args: argparse.Namespace, container: Container) -> int:
    """Serve the UI at / and the API in one process (uvicorn) until stopped."""
    import uvicorn

    from assistant.api import create_app
    from assistant.services import Services

    host = args.host or container.settings.host
    port = args.port or container.settings.port
    container.warm_up()
    app = create_app(Services(container))
    print(f"De assistent draait op http://{host}:{port}")
    print("API-documentatie: /docs. Stoppen: Ctrl+C.")
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return EXIT_OK


# ----------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="assistant", description="Sociale Innovatie Assistent (SER Overijssel-corpus)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="meer logregels")
    sub = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    p = sub.add_parser("ingest", help="documenten inlezen in de index")
    p.add_argument("paths", nargs="*", help="bestanden of mappen (standaard: corpus/)")
    p.add_argument("--rebuild", action="store_true", help="index volledig opnieuw opbouwen")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.add_argument("--json", action="store_true", help="samenvatting als JSON")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="passages zoeken")
    p.add_argument("query", help="zoekvraag")
    p.add_argument("--k", type=int, help="aantal passages (standaard ASSISTANT_TOP_K: 8)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    add_filter_options(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="een vraag beantwoorden met bronnen")
    p.add_argument("question", help="uw vraag")
    p.add_argument("--k", type=int, help="aantal passages om uit te kiezen (standaard 8)")
    p.add_argument("--json", action="store_true", help="het antwoord als JSON")
    add_filter_options(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="een gesprek in de terminal (vervolgvragen mogelijk)")
    p.add_argument("--k", type=int, help="aantal passages om uit te kiezen (standaard 8)")
    add_filter_options(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="vragensets evalueren tegen de basislijn")
    p.add_argument("sets", nargs="+", help="vragenset(s), bv. evals/sets/test.jsonl")
    p.add_argument("--out", help="resultaten (JSONL); standaard <datamap>/evals/results.jsonl")
    p.add_argument("--report", help="HTML-rapport; standaard <datamap>/evals/report.html")
    p.add_argument("--baseline", help="basislijn (standaard evals/baseline.json)")
    p.add_argument("--update-baseline", action="store_true", help="basislijn herschrijven")
    p.add_argument("--url", help="draaiende server vragen, bv. http://127.0.0.1:7860")
    p.add_argument(
        "--k", type=int, default=5, help="geslaagd als de passage in de eerste k bronnen staat"
    )
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.add_argument(
        "--replay-history",
        action="store_true",
        help="vervolgvragen: eerst de eerdere vragen stellen en de eigen antwoorden als "
        "geschiedenis gebruiken (niet vergeleken met de basislijn)",
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("feedback", help="gebruikersfeedback")
    feedback = p.add_subparsers(dest="feedback_command", required=True, metavar="ACTIE")
    p = feedback.add_parser("export", help="duim-omlaag-feedback als kandidaatvragen")
    p.add_argument("--out", default="evals/candidates.jsonl", help="uitvoerbestand (JSONL)")
    p.add_argument(
        "--sets-dir", default="evals/sets", help="vragen die hier al staan worden overgeslagen"
    )
    p.set_defaults(func=cmd_feedback_export)

    p = sub.add_parser("session", help="een sessiebrief met bronnen maken (.md/.docx/.json)")
    p.add_argument("--thema", required=True, help="thema van de sessie, bv. 'slimmer werken'")
    p.add_argument("--sector", help="sector van de deelnemers, bv. metaal")
    p.add_argument("--omvang", type=int, help="aantal medewerkers per bedrijf (1-249)")
    p.add_argument("--duur", type=int, default=90, help="duur in minuten (30-480, standaard 90)")
    p.add_argument("--out", required=True, help="uitvoerbestand: brief.docx, brief.md of .json")
    p.set_defaults(func=cmd_session)

    p = sub.add_parser("scan", help="zelfscan sociale innovatie: scores en tips met bronnen")
    p.add_argument(
        "--answers", help="JSON: {stelling-id: 1-5, ...} of {answers: {...}, sector, omvang}"
    )
    p.add_argument("--sector", help="sector van het bedrijf, bv. metaal")
    p.add_argument("--omvang", type=int, help="aantal medewerkers (1-249)")
    p.add_argument("--out", help="uitvoerbestand: scan.docx, scan.md of scan.json")
    p.add_argument("--stellingen", action="store_true", help="toon de stellingen met hun id")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("serve", help="de webapp en de API starten")
    p.add_argument("--host", help="adres (standaard 127.0.0.1, of ASSISTANT_HOST)")
    p.add_argument("--port", type=int, help="poort (standaard 7860, of ASSISTANT_PORT)")
    p.set_defaults(func=cmd_serve)

    return parser


def main(argv: Sequence[str] | None = None, container: Container | None = None) -> int:
    """Entry point of the `assistant` console script (tests pass a container with fakes)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging("DEBUG" if args.verbose else "WARNING")
    try:
        container = container or Container(Settings())
        k = _check_k(getattr(args, "k", None)) if args.command in ("ask", "chat") else None
        if k:  # how many passages answers draw on
            container = container.derive(top_k=k)
        return args.func(args, container)
    except AssistantError as exc:
        print(f"Fout: {escape_controls(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
