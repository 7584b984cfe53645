"""Fusion, Dutch BM25 and filters, without a store."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.errors import InvalidInputError
from assistant.core.lexical import BestSentenceIndex, BM25Index, DutchTokenizer
from assistant.core.retrieval import reciprocal_rank_fusion
from assistant.core.text import counted, stems, telling_part
from assistant.core.types import Filters

TEXTS = {
    "a": "Medewerkers betrekken bij de organisatie van het werk vergroot de arbeidsproductiviteit.",
    "b": "De provincie kan goede voorbeelden verspreiden en inspirerende sessies organiseren.",
    "c": "Barrières bij de invoering van sociale innovatie zijn tijdgebrek en onbekendheid.",
    "d": "Duurzame inzetbaarheid en leven lang ontwikkelen horen bij strategisch personeelsbeleid.",
}


def test_rrf_rewards_agreement_between_rankings():
    scores = reciprocal_rank_fusion([["x", "y", "z"], ["y", "x"]], rrf_k=60)
    assert scores["x"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["y"] == scores["x"]
    assert scores["z"] == pytest.approx(1 / 63)
    assert max(scores, key=scores.get) in {"x", "y"} and scores["z"] < scores["x"]


def test_tokenizer_stems_folds_and_drops_stop_words():
    tokens = DutchTokenizer()("De barrières voor de medewerkers")
    assert "de" not in tokens and "voor" not in tokens
    assert tokens == DutchTokenizer()("barrieres medewerker")


def test_bm25_finds_exact_terms_and_respects_mask():
    index = BM25Index(list(TEXTS.values()))
    assert index.search("barrières invoering", 2)[0][0] == 2
    mask = np.array([1, 1, 0, 1], dtype=np.float32)
    assert all(i != 2 for i, _ in index.search("barrières invoering", 4, mask))
    assert index.search("xyzzy onbekendwoord", 3) == []


def test_year_filter_out_of_range_is_a_clear_input_error():
    with pytest.raises(InvalidInputError, match="Ongeldig jaar"):
        Filters(years=(9223372036854775808,))
    with pytest.raises(InvalidInputError, match="Ongeldig jaar"):
        Filters(years=(20222,))


def test_bm25_vocabulary_is_the_stems_of_the_texts():
    texts = list(TEXTS.values()) + [""]
    index = BM25Index(texts)
    tokenize = DutchTokenizer()
    assert index.vocabulary == {stem for text in texts for stem in tokenize(text)}
    assert BM25Index([]).vocabulary == frozenset()


# One passage holds the question's words scattered over sentences (and more often), the
# other holds them together in one sentence: where an answer is.
def test_begin_of_a_date_is_not_the_word_begin():
    # "Begin 2022 is er een beleidsevaluatie uitgevoerd" was quoted for "Waar begin ik?"
    tokenize = DutchTokenizer()
    assert "begin" not in tokenize("Begin 2022 is er een evaluatie; eind 2023 volgt er een.")
    assert "eind" not in tokenize("eind 2023")
    assert "begin" in tokenize("Waar moet ik beginnen?")
    assert tokenize("Begin bij de directeur") == ["begin", "directeur"]
    assert "begin" in tokenize("Begin 22 medewerkers")  # not a year


SCATTERED = [
    "Overleg is nodig, vaak overleg.",
    "Technologie en nog meer technologie.",
    "Medewerkers en nog eens medewerkers.",
    "Nieuwe ideeën.",
]
TOGETHER = ["Bij de invoering van nieuwe technologie is overleg met medewerkers nodig."]
OTHER = ["De provincie verspreidt goede voorbeelden."]


def test_best_sentence_ranks_words_together_above_words_scattered():
    query = "overleg medewerkers nieuwe technologie"
    passages = BM25Index([" ".join(p) for p in (SCATTERED, TOGETHER, OTHER)]).search(query, 3)
    assert [i for i, _ in passages] == [0, 1]  # passage-level BM25 prefers the repetitions
    best = BestSentenceIndex([SCATTERED, TOGETHER, OTHER], distinctive_share=1.0).search(query, 3)
    assert [i for i, _ in best] == [1, 0]  # one entry per passage, best sentence first
    assert best[0][1] > best[1][1] > 0


def test_best_sentence_respects_mask_k_and_empty_passages():
    index = BestSentenceIndex([SCATTERED, TOGETHER, [], OTHER], distinctive_share=1.0)
    query = "overleg medewerkers nieuwe technologie provincie"
    assert [i for i, _ in index.search(query, 1)] == [1]
    mask = np.array([1, 0, 1, 1], dtype=np.float32)  # per passage, as the retriever passes it
    assert [i for i, _ in index.search(query, 4, mask)] == [0, 3]
    assert index.search("xyzzy", 3) == [] and index.search(query, 0) == []
    assert BestSentenceIndex([]).search(query, 3) == []


def test_best_sentence_needs_a_distinctive_word_of_the_question():
    # "sociale innovatie" is in every passage: a short sentence holding it says nothing
    passages = [
        ["Sociale innovatie is belangrijk."],
        ["Sociale innovatie vraagt overleg met medewerkers over nieuwe technologie."],
        ["Sociale innovatie helpt het mkb."],
        ["Sociale innovatie en de provincie."],
    ]
    index = BestSentenceIndex(passages, distinctive_share=0.25)  # in at most 1 of 4 passages
    assert index.search("Wat is sociale innovatie?", 4) == []
    assert [i for i, _ in index.search("sociale innovatie en technologie", 4)] == [1]
    everything = BestSentenceIndex(passages, distinctive_share=1.0)
    assert len(everything.search("sociale innovatie", 4)) == 4


def test_best_sentence_reads_further_when_the_first_sentences_share_a_passage():
    # Sentences are read in batches (10 per passage wanted): here the 25 best sentences
    # all belong to the first passage, so finding a second passage needs further batches.
    crowded = [f"Overleg met medewerkers over technologie, punt {n}." for n in range(25)]
    weaker = ["Overleg is soms nodig."]
    index = BestSentenceIndex([crowded, weaker, OTHER], distinctive_share=1.0)
    assert [i for i, _ in index.search("overleg medewerkers technologie", 2)] == [0, 1]
    assert [i for i, _ in index.search("overleg medewerkers technologie", 3)] == [0, 1]


def test_what_a_sentence_counts_and_tells():
    assert counted("Sociale innovatie bestaat uit vier onderdelen:") == stems("onderdelen")
    assert "thema" in counted("De provincie richt zich op 7 maatschappelijke thema's.")
    assert counted("1. Dynamisch managen: modern leiderschap.") == frozenset()
    told = "In dit advies vraagt de SER aandacht met als centrale vraag: 'Wat zijn de knelpunten?'"
    assert telling_part(told) == "In dit advies vraagt de SER aandacht met als centrale vraag"
    assert telling_part("Wat heeft het mkb nodig om te groeien?") == ""
    assert telling_part("Het mkb heeft ruimte nodig.") == "Het mkb heeft ruimte nodig."
