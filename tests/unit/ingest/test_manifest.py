"""Manifest loading/validation and metadata for files missing from it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.core.errors import ConfigError
from assistant.core.types import DOC_TYPES
from ingest.loaders import LoadedDocument, Page
from ingest.manifest import MAX_MANIFEST_BYTES, load_manifest, resolve_meta, slugify

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
PDF_NAME = "ser-overijssel-briefadvies-sociale-innovatie-2022.pdf"


def write_manifest(tmp_path: Path, body: str) -> Path:
    (tmp_path / "manifest.yaml").write_text(body, encoding="utf-8")
    return tmp_path


def entry(**fields: str) -> str:
    base = {"id": "doc-a", "file": "a.pdf", "title": "Document A", "type": "advies"}
    base.update(fields)
    lines = [f"    {key}: {value}" for key, value in base.items() if value is not None]
    return "  -" + "\n".join(lines)[3:]


def test_real_manifest_describes_the_corpus_pdf():
    manifest = load_manifest(CORPUS)
    meta = manifest[PDF_NAME]
    assert meta.doc_id == "ser-overijssel-briefadvies-sociale-innovatie-2022"
    assert meta.title.startswith("Briefadvies sociale innovatie")
    assert (meta.type, meta.publisher, meta.language) == ("advies", "SER Overijssel", "nl")
    assert meta.date.startswith("2022-12") and meta.year == 2022
    assert meta.source_path == PDF_NAME
    assert (CORPUS / PDF_NAME).is_file()


def test_every_manifest_file_exists():
    for name in load_manifest(CORPUS):
        assert (CORPUS / name).is_file(), name


def test_valid_manifest(tmp_path):
    write_manifest(
        tmp_path,
        "documents:\n"
        + entry()
        + "\n"
        + entry(id="doc-b", file="sub/b.docx", type="casus", date="2021")
        + "\n",
    )
    manifest = load_manifest(tmp_path)
    assert set(manifest) == {"a.pdf", "sub/b.docx"}
    assert manifest["sub/b.docx"].date == "2021"
    assert manifest["a.pdf"].language == "nl"


def test_unquoted_yaml_date_is_accepted(tmp_path):
    write_manifest(tmp_path, "documents:\n" + entry(date="2022-12-01") + "\n")
    assert load_manifest(tmp_path)["a.pdf"].date == "2022-12-01"


def test_missing_manifest_is_empty(tmp_path):
    assert load_manifest(tmp_path) == {}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "rapport"}, "document 'doc-a': veld 'type'"),
        ({"title": None}, "document 'doc-a': veld 'title' ontbreekt"),
        ({"file": None}, "document 'doc-a': veld 'file' ontbreekt"),
        ({"id": None}, "document 'a.pdf': veld 'id' ontbreekt"),
        ({"id": "Doc A"}, "veld 'id' mag alleen"),
        ({"date": "december 2022"}, "veld 'date'"),
        ({"pubisher": "SER"}, "onbekend veld pubisher"),
    ],
)
def test_invalid_entry_names_entry_and_field(tmp_path, fields, message):
    write_manifest(tmp_path, "documents:\n" + entry(**fields) + "\n")
    with pytest.raises(ConfigError, match=message):
        load_manifest(tmp_path)


def test_type_error_lists_allowed_types(tmp_path):
    write_manifest(tmp_path, "documents:\n" + entry(type="rapport") + "\n")
    with pytest.raises(ConfigError) as info:
        load_manifest(tmp_path)
    assert all(doc_type in str(info.value) for doc_type in DOC_TYPES)


def test_duplicate_ids_rejected(tmp_path):
    write_manifest(tmp_path, "documents:\n" + entry() + "\n" + entry(file="b.pdf") + "\n")
    with pytest.raises(ConfigError, match="id 'doc-a' komt dubbel voor"):
        load_manifest(tmp_path)


def test_duplicate_files_rejected(tmp_path):
    write_manifest(tmp_path, "documents:\n" + entry() + "\n" + entry(id="doc-b") + "\n")
    with pytest.raises(ConfigError, match="file 'a.pdf' komt dubbel voor"):
        load_manifest(tmp_path)


@pytest.mark.parametrize("body", ["documents: [unclosed", "- a\n- b\n", "documents: 3\n"])
def test_malformed_manifest(tmp_path, body):
    write_manifest(tmp_path, body)
    with pytest.raises(ConfigError, match="manifest.yaml"):
        load_manifest(tmp_path)


def alias_bomb(levels: int = 9) -> str:
    """'Billion laughs': each level is nine aliases of the one before (9**levels strings)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\ndocuments: [*a{levels - 1}]\n"


def test_alias_bomb_is_refused_without_expanding_it(tmp_path):
    write_manifest(tmp_path, alias_bomb())  # 387 million strings if expanded
    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        load_manifest(tmp_path)
    assert time.perf_counter() - started < 5
    assert "manifest.yaml: regel 1: ankers en aliassen" in str(info.value)
    assert "niet toegestaan" in str(info.value)


def test_a_single_anchor_and_alias_are_refused_too(tmp_path):
    body = "documents:\n" + entry().replace("title: Document A", "title: &t Document A") + "\n"
    body += entry(id="doc-b", file="b.pdf", title="*t") + "\n"
    write_manifest(tmp_path, body)
    with pytest.raises(ConfigError, match="regel 4: ankers en aliassen"):
        load_manifest(tmp_path)


def test_oversized_manifest_is_refused_before_parsing(tmp_path):
    write_manifest(tmp_path, "documents: []\n" + "# opvulling\n" * (MAX_MANIFEST_BYTES // 12 + 1))
    with pytest.raises(ConfigError, match=r"het manifest is \d+ kB; de grens is 1024 kB"):
        load_manifest(tmp_path)


def test_deeply_nested_manifest_is_a_config_error(tmp_path):
    write_manifest(tmp_path, "documents: " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ConfigError, match="manifest.yaml"):
        load_manifest(tmp_path)


def test_manifest_linked_from_outside_the_folder_is_refused(tmp_path):
    outside = tmp_path / "elders.yaml"
    outside.write_text("documents:\n" + entry() + "\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.yaml").symlink_to(outside)
    with pytest.raises(ConfigError, match="buiten de map; geweigerd"):
        load_manifest(corpus)


def test_control_characters_in_fields_are_refused_and_newlines_folded(tmp_path):
    write_manifest(tmp_path, "documents:\n" + entry(title='"Titel\\e[2J"') + "\n")
    with pytest.raises(ConfigError, match="veld 'title' bevat stuurtekens"):
        load_manifest(tmp_path)
    write_manifest(tmp_path, "documents:\n" + entry(title='"Twee\\nregels"') + "\n")
    assert load_manifest(tmp_path)["a.pdf"].title == "Twee regels"


def loaded(path: Path, text: str = "Succesfactoren\n\nTekst.", title: str = "") -> LoadedDocument:
    return LoadedDocument(path=path, pages=[Page(1, text)], title_hint=title)


def test_resolve_meta_from_manifest():
    manifest = load_manifest(CORPUS)
    path = CORPUS / PDF_NAME
    meta, warning = resolve_meta(path, CORPUS, manifest, loaded(path))
    assert warning is None
    assert meta is manifest[PDF_NAME]


def test_resolve_meta_for_unlisted_file_uses_title_hint(tmp_path):
    path = tmp_path / "Casus Pioniers Zwolle (2023).docx"
    meta, warning = resolve_meta(path, tmp_path, {}, loaded(path, title="Casus Zwolle"))
    assert meta.doc_id == "casus-pioniers-zwolle-2023"
    assert (meta.title, meta.type) == ("Casus Zwolle", "overig")
    assert meta.source_path == "Casus Pioniers Zwolle (2023).docx"
    assert "Casus Pioniers Zwolle (2023).docx" in warning
    assert "niet in manifest.yaml" in warning


def test_resolve_meta_falls_back_to_first_line(tmp_path):
    path = tmp_path / "sub" / "notitie.md"
    meta, _ = resolve_meta(path, tmp_path, {}, loaded(path, text="# Succesfactoren\n\nTekst."))
    assert meta.title == "Succesfactoren"
    assert meta.source_path == "sub/notitie.md"


def test_resolve_meta_outside_corpus_gives_absolute_path(tmp_path):
    path = tmp_path / "elders" / "notitie.txt"
    meta, warning = resolve_meta(path, tmp_path / "corpus", {}, loaded(path))
    assert meta.source_path == str(path.resolve())
    assert warning


def test_slugify():
    assert slugify("Één advies: Sociale Innovatie!") == "een-advies-sociale-innovatie"
    assert slugify("***") == "document"
