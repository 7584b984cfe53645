# ruff: noqa: E501  (recorded model output: one paragraph per line, as the models wrote it)
"""Replies in the shapes local models (llama3, qwen, mistral) write, for the fixture passages.

Each recording names the passages it was written against, in the order the fake
retriever numbers them for its question (`sources`: chunk ids for [1], [2], ...), and
what the checked answer must read like. The expectations follow the citation check
with the hash embedder of tests/fakes.py; every marker expected to go cites a passage
a reader would also call unrelated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recording:
    """A recorded model reply and the answer the citation check must make of it."""

    name: str
    question: str
    sources: tuple[str, ...]  # chunk ids of passages [1], [2], ... as the model saw them
    reply: str
    text: str  # the checked answer, without the service's note
    cited: tuple[str, ...]  # chunk ids of the answer's citations [1], [2], ...
    removed: int


LLAMA3_LIST = Recording(
    name="llama3: markers after the stop, list items with their lead-in, a Bronnen block",
    question="Uit welke onderdelen bestaat sociale innovatie?",
    sources=("fx-05", "fx-01", "fx-03"),
    reply="""Sociale innovatie bestaat uit vier onderdelen. [1]

1. **Dynamisch managen**: ruimte en vertrouwen aan medewerkers geven als het kan, sturen als het moet. [1]
2. **Flexibel organiseren**: een minder hiërarchische structuur met zelforganisatie. [1][3]
3. **Slimmer werken**: ideeën en talenten van medewerkers benutten. [1]
4. **Co-creatie**: bedrijven en onderwijsinstellingen ontwikkelen samen vernieuwende oplossingen. [1][2]

Bronnen:
[1] Briefadvies sociale innovatie, pagina 6
[3] Briefadvies sociale innovatie, pagina 3""",
    text="""Sociale innovatie bestaat uit vier onderdelen [1].

1. **Dynamisch managen**: ruimte en vertrouwen aan medewerkers geven als het kan, sturen als het moet [1].
2. **Flexibel organiseren**: een minder hiërarchische structuur met zelforganisatie [1].
3. **Slimmer werken**: ideeën en talenten van medewerkers benutten [1].
4. **Co-creatie**: bedrijven en onderwijsinstellingen ontwikkelen samen vernieuwende oplossingen [1].""",
    cited=("fx-05",),
    removed=2,
)

QWEN_GROUPS = Recording(
    name="qwen: groups [5, 7], [5,8], [1; 5] and a range [4-6]",
    question="Ik heb een bouwbedrijf met 20 man. Hoe begin ik met sociale innovatie?",
    sources=("fx-04", "fx-01", "fx-00", "fx-05", "fx-06", "fx-08", "fx-03", "fx-02"),
    reply="""Begin bij de directeur of grootaandeelhouder en vergeet de leidinggevenden niet [5].

Concreet kun je dit doen:
- Zet de medewerker echt centraal en inspireer in plaats van te controleren [4-6].
- Zorg voor een passende structuur en geef realistische verantwoordelijkheden [5, 7].
- Speel in op intrinsieke motivatie en geef vertrouwen en erkenning [5,8].
- Overleg regelmatig met je medewerkers [1; 5].""",
    text="""Begin bij de directeur of grootaandeelhouder en vergeet de leidinggevenden niet [1].

Concreet kun je dit doen:
- Zet de medewerker echt centraal en inspireer in plaats van te controleren [1][2].
- Zorg voor een passende structuur en geef realistische verantwoordelijkheden [1].
- Speel in op intrinsieke motivatie en geef vertrouwen en erkenning [1].
- Overleg regelmatig met je medewerkers [3].""",
    cited=("fx-06", "fx-05", "fx-04"),
    removed=4,
)

MISTRAL_FOOTNOTES = Recording(
    name="mistral: footnotes [^1] with definitions at the end, a year in brackets",
    question="Wat is sociale innovatie?",
    sources=("fx-03", "fx-04"),
    reply="""Sociale innovatie is de vernieuwing van de arbeidsorganisatie en maximale benutting van competenties, gericht op betere bedrijfsprestaties en ontplooiing van talent.[^1] De definitie van de landelijke SER (2006) wordt nog steeds breed gedeeld.[^1]

Belangrijke factoren zijn een open bedrijfscultuur, goede interne arbeidsverhoudingen en werknemersbetrokkenheid.[^2] Bedrijven die hiermee werken, zijn gemiddeld 10% productiever.[^2]

[^1]: Briefadvies sociale innovatie, pagina 3, Definitie sociale innovatie.
[^2]: Briefadvies sociale innovatie, pagina 3.""",
    text="""Sociale innovatie is de vernieuwing van de arbeidsorganisatie en maximale benutting van competenties, gericht op betere bedrijfsprestaties en ontplooiing van talent [1]. De definitie van de landelijke SER (2006) wordt nog steeds breed gedeeld [1].

Belangrijke factoren zijn een open bedrijfscultuur, goede interne arbeidsverhoudingen en werknemersbetrokkenheid [2]. Bedrijven die hiermee werken, zijn gemiddeld 10% productiever.""",
    cited=("fx-03", "fx-04"),
    removed=1,
)

SUPERSCRIPTS = Recording(
    name="superscripts: ⁶ and ⁶˒² glued to the last word",
    question="Waarom lukt het vaak niet om sociale innovatie vol te houden?",
    sources=("fx-01", "fx-08", "fx-04", "fx-05", "fx-00", "fx-07"),
    reply=(
        "Vaak is er wel geld voor vernieuwende projecten, maar niet om de nieuwe aanpak "
        "duurzaam in te zetten⁶. Veel innovaties werken dankzij subsidies, omdat er dan meer "
        "tijd kan worden ingezet⁶˒². Daarnaast hebben ondernemers volgens de experts niet "
        "zoveel met de term sociale innovatie³."
    ),
    text=(
        "Vaak is er wel geld voor vernieuwende projecten, maar niet om de nieuwe aanpak "
        "duurzaam in te zetten [1]. Veel innovaties werken dankzij subsidies, omdat er dan "
        "meer tijd kan worden ingezet [1]. Daarnaast hebben ondernemers volgens de experts "
        "niet zoveel met de term sociale innovatie [2]."
    ),
    cited=("fx-07", "fx-04"),
    removed=1,
)

ENGLISH_SOURCES = Recording(
    name="english: llama3 with (source 1), (sources 2 and 4) and a Sources: block",
    question="What does the SER Overijssel ask of the province?",
    sources=("fx-00", "fx-01", "fx-03", "fx-08", "fx-02"),
    reply="""The SER Overijssel asks the province to take a role in "het inventariseren en verspreiden van goede voorbeelden" and in organising inspirerende sessies (source 1). It also advises to use the bestaande netwerken rondom sociaal ondernemerschap to spread kennis en inspiratie, especially to the reguliere mkb (sources 2 and 4). For continuity the province should link it to other provincial programmes such as Boost/EDIH and Overijssels Vakmanschap (source 5).

Sources:
- Source 1: Briefadvies sociale innovatie, page 1
- Source 2: Briefadvies sociale innovatie, page 2
- Source 5: Briefadvies sociale innovatie, page 2""",
    text="""The SER Overijssel asks the province to take a role in "het inventariseren en verspreiden van goede voorbeelden" and in organising inspirerende sessies [1]. It also advises to use the bestaande netwerken rondom sociaal ondernemerschap to spread kennis en inspiratie, especially to the reguliere mkb [2]. For continuity the province should link it to other provincial programmes such as Boost/EDIH and Overijssels Vakmanschap [3].""",
    cited=("fx-00", "fx-01", "fx-02"),
    removed=1,
)

ENUMERATORS = Recording(
    name="enumerators: range [1-3] with the middle unsupported, (bron 3) inside a sentence, "
    "enumerators (1) (2), a bare (6) citation and a Bronnen: line",
    question="Wat vraagt de SER Overijssel van de provincie?",
    sources=("fx-00", "fx-03", "fx-01", "fx-02", "fx-07", "fx-08"),
    reply="""De SER Overijssel vraagt de provincie om goede voorbeelden te verspreiden, inspirerende sessies te organiseren en bestaande netwerken te gebruiken [1-3].

De SER vraagt de provincie om (1) de bestaande netwerken rondom sociaal ondernemerschap te gebruiken om kennis en inspiratie te verspreiden (bron 3) en (2) in het subsidiebeleid structureel aandacht te besteden aan vernieuwende projecten (bron 4). Het programma Pioniers heeft goed gewerkt (6).

Bronnen: (bronnen 1, 3 en 4)""",
    text="""De SER Overijssel vraagt de provincie om goede voorbeelden te verspreiden, inspirerende sessies te organiseren en bestaande netwerken te gebruiken [1][2].

De SER vraagt de provincie om (1) de bestaande netwerken rondom sociaal ondernemerschap te gebruiken om kennis en inspiratie te verspreiden [2] en (2) in het subsidiebeleid structureel aandacht te besteden aan vernieuwende projecten [3]. Het programma Pioniers heeft goed gewerkt [4].""",
    cited=("fx-00", "fx-01", "fx-02", "fx-08"),
    removed=1,
)

MARKER_LINE = Recording(
    name="marker-line: a marker on a line of its own under the paragraph, [5], [3] and * bullets",
    question="Hoe krijg ik mijn medewerkers meer betrokken?",
    sources=("fx-05", "fx-04", "fx-07", "fx-00", "fx-06"),
    reply="""Benut de ideeën en talenten van je medewerkers: daardoor krijg je betrokkenheid en innovaties op de werkvloer.
[1]

Tips uit het adviesrapport:
* Speel in op intrinsieke motivatie en geef vertrouwen en erkenning. [5], [3]
* Zet de medewerker echt centraal en inspireer in plaats van te controleren. [5]
* Zorg voor regelmatig overleg tussen leiding en medewerkers. [2]""",
    text="""Benut de ideeën en talenten van je medewerkers: daardoor krijg je betrokkenheid en innovaties op de werkvloer [1].

Tips uit het adviesrapport:
* Speel in op intrinsieke motivatie en geef vertrouwen en erkenning [2].
* Zet de medewerker echt centraal en inspireer in plaats van te controleren [2].
* Zorg voor regelmatig overleg tussen leiding en medewerkers [3].""",
    cited=("fx-05", "fx-06", "fx-04"),
    removed=1,
)

NOT_COVERED = Recording(
    name="not-covered: the model says plainly what the passages do not cover",
    question="Welke subsidie kan ik krijgen voor sociale innovatie?",
    sources=("fx-05", "fx-04", "fx-08", "fx-03", "fx-07"),
    reply=(
        "De bronnen noemen geen concrete subsidie die je kunt aanvragen. Wel staat erin dat "
        "er vaak geld is voor vernieuwende projecten, maar niet voor het duurzaam inzetten "
        "van de nieuwe aanpak [5]."
    ),
    text=(
        "De bronnen noemen geen concrete subsidie die je kunt aanvragen. Wel staat erin dat "
        "er vaak geld is voor vernieuwende projecten, maar niet voor het duurzaam inzetten "
        "van de nieuwe aanpak [1]."
    ),
    cited=("fx-07",),
    removed=0,
)

RECORDINGS = (
    LLAMA3_LIST,
    QWEN_GROUPS,
    MISTRAL_FOOTNOTES,
    SUPERSCRIPTS,
    ENGLISH_SOURCES,
    ENUMERATORS,
    MARKER_LINE,
    NOT_COVERED,
)
