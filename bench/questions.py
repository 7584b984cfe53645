"""Owner questions the latency benches ask (new to the process, so no query cache helps)."""

QUESTIONS = [
    "Waar moet ik beginnen als ik sociale innovatie wil invoeren in mijn metaalbedrijf?",
    "Wat verstaat de SER onder sociale innovatie?",
    "Uit welke onderdelen bestaat sociale innovatie?",
    "Hoe geef ik mijn personeel meer vrijheid?",
    "Waarom is subsidie vaak maar tijdelijk een oplossing?",
    "Wat verwacht de SER van de provincie Overijssel?",
    "Wie zijn de Pioniers?",
    "Hoe houd ik mijn werknemers langer inzetbaar?",
    "What are the four parts of social innovation?",
    "Hoe hoog is het minimumloon?",
    "Hoe krijg ik mijn mensen meer betrokken bij verbeteringen?",
    "Wat levert sociale innovatie mijn bedrijf op?",
    "Welke rol spelen vakbonden en brancheorganisaties?",
]
