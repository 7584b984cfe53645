"""Intake limits: oversized files, .docx zip bombs (declared and lying), pages, text length."""

from __future__ import annotations

import dataclasses
import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest

from assistant.core.errors import DocumentError
from assistant.core.settings import Settings
from ingest.limits import MB, IntakeLimits, check_docx_archive
from ingest.loaders import load_document
from tests.unit.ingest.test_loaders import write_pdf

DEFAULTS = IntakeLimits.defaults()


def small_docx() -> bytes:
    """A real, valid .docx with one paragraph."""
    document = docx.Document()
    document.add_paragraph("Sociale innovatie gaat over de organisatie van het werk.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_part(path: Path, name: str, data: bytes = b"", zeros_mb: int = 0) -> Path:
    """A valid .docx plus (or with replaced) part `name`: `data`, or that many MB of zeros."""
    source = zipfile.ZipFile(io.BytesIO(small_docx()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info.filename))
        with target.open(name, "w") as part:
            part.write(data)
            for _ in range(zeros_mb):
                part.write(bytes(MB))
    return path


def patch_declared_size(path: Path, name: str, size: int) -> None:
    """Make the zip's local header and central directory claim `size` bytes for part `name`."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        struct.pack_into("<I", raw, archive.getinfo(name).header_offset + 22, size)
    end = raw.rfind(b"PK\x05\x06")
    count, _, offset = struct.unpack_from("<HII", raw, end + 10)
    for _ in range(count):  # central directory entries
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, offset + 28)
        if raw[offset + 46 : offset + 46 + name_len] == name.encode():
            struct.pack_into("<I", raw, offset + 24, size)
        offset += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(raw))


def peak_memory(call) -> int:
    """Peak Python allocation (bytes) while running call()."""
    tracemalloc.start()
    try:
        call()
    except DocumentError:
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_limits_come_from_settings_with_env_prefix(monkeypatch):
    monkeypatch.setenv("ASSISTANT_MAX_FILE_MB", "7")
    monkeypatch.setenv("ASSISTANT_MAX_PAGES", "12")
    limits = IntakeLimits.from_settings(Settings(_env_file=None))
    assert limits.max_file_mb == 7 and limits.max_pages == 12
    assert DEFAULTS == IntakeLimits(50, 100, 100, 500, 2_000_000)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "groot.txt"
    path.write_text("Sociale innovatie. " * 200, encoding="utf-8")  # 3.8 kB
    limits = dataclasses.replace(DEFAULTS, max_file_mb=0.001)  # 1 kB
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("file was read"))
    with pytest.raises(DocumentError) as info:
        load_document(path, limits)
    assert info.value.path == str(path)
    assert info.value.reason == "bestand is 3,7 kB; de grens is 1 kB (ASSISTANT_MAX_FILE_MB)"


def test_docx_bomb_is_refused_by_its_ratio_without_inflating_it(tmp_path, monkeypatch):
    # 64 MB of zeros deflate to ~64 kB: ratio ~1000, far over the default 100.
    bomb = docx_with_part(tmp_path / "bom.docx", "word/media/nullen.bin", zeros_mb=64)
    assert bomb.stat().st_size < 200_000
    monkeypatch.setattr(docx, "Document", lambda *a: pytest.fail("bomb was parsed"))
    with pytest.raises(DocumentError) as info:
        load_document(bomb)
    assert "word/media/nullen.bin" in info.value.reason
    assert "(ASSISTANT_MAX_DOCX_RATIO)" in info.value.reason and "zip-bom" in info.value.reason
    assert peak_memory(lambda: load_document(bomb)) < 4 * MB


def test_docx_claiming_a_huge_part_is_refused_from_its_directory(tmp_path):
    path = docx_with_part(tmp_path / "claim.docx", "word/document.xml", b"<w:document/>")
    patch_declared_size(path, "word/document.xml", 2**31)  # claims 2 GB
    with pytest.raises(DocumentError, match=r"pakt uit tot 2048,\d MB; de grens is 100 MB"):
        load_document(path)


def test_docx_whose_directory_lies_low_cannot_inflate_more(tmp_path):
    # The part inflates to 64 MB but the zip says 100 bytes: no ratio or total check fires on
    # the declared sizes, so only the bounded read stands between the bomb and memory.
    path = docx_with_part(tmp_path / "leugen.docx", "word/media/x.bin", zeros_mb=64)
    patch_declared_size(path, "word/media/x.bin", 100)
    with pytest.raises(DocumentError, match="Word-bestand is beschadigd of onleesbaar"):
        load_document(path)
    assert peak_memory(lambda: load_document(path)) < 4 * MB


def test_reading_stops_at_the_limit_whatever_a_part_declares():
    class LyingArchive:
        """A zip reader that hands out more bytes than its directory declares."""

        def infolist(self):
            info = zipfile.ZipInfo("word/document.xml")
            info.file_size, info.compress_size = 10, 10
            return [info]

        def open(self, member):
            return io.BytesIO(bytes(3 * MB))

    limits = dataclasses.replace(DEFAULTS, max_docx_uncompressed_mb=1)
    with pytest.raises(DocumentError, match="pakt uit tot meer dan 1 MB; de grens is 1 MB"):
        check_docx_archive(Path("x.docx"), LyingArchive(), limits)


def test_corrupt_docx_xml_is_a_document_error(tmp_path):
    path = docx_with_part(tmp_path / "kapot.docx", "word/document.xml", b"<w:document><w:body>")
    with pytest.raises(DocumentError, match="beschadigd of onleesbaar"):
        load_document(path)


def test_pdf_over_the_page_limit_is_refused_before_extracting(tmp_path, monkeypatch):
    import ingest.loaders as loaders

    path = write_pdf(tmp_path / "dik.pdf", ["Een.", "Twee.", "Drie."])
    monkeypatch.setattr(loaders, "_page_text", lambda page: pytest.fail("text was extracted"))
    with pytest.raises(DocumentError) as info:
        load_document(path, dataclasses.replace(DEFAULTS, max_pages=2))
    assert info.value.reason == "document heeft 3 pagina's; de grens is 2 (ASSISTANT_MAX_PAGES)"


def test_text_over_the_character_limit_is_refused(tmp_path):
    path = tmp_path / "lang.txt"
    path.write_text("Sociale innovatie in het mkb. " * 100, encoding="utf-8")  # 3,000 chars
    with pytest.raises(DocumentError) as info:
        load_document(path, dataclasses.replace(DEFAULTS, max_document_chars=1000))
    assert info.value.reason == (
        "document bevat meer dan 1.000 tekens tekst; de grens is 1.000 "
        "(ASSISTANT_MAX_DOCUMENT_CHARS)"
    )


def test_docx_text_stops_at_the_character_limit(tmp_path, monkeypatch):
    import ingest.loaders as loaders

    document = docx.Document()
    for n in range(500):
        document.add_paragraph(f"Alinea {n} over sociale innovatie in het mkb.")
    document.save(tmp_path / "lang.docx")
    seen: list[object] = []
    real_block = loaders._docx_block
    monkeypatch.setattr(loaders, "_docx_block", lambda item: seen.append(item) or real_block(item))
    with pytest.raises(DocumentError, match="ASSISTANT_MAX_DOCUMENT_CHARS"):
        load_document(
            tmp_path / "lang.docx", dataclasses.replace(DEFAULTS, max_document_chars=1000)
        )
    assert len(seen) < 50  # stopped early, not after reading all 500 paragraphs


def test_text_over_the_page_limit_is_refused(tmp_path):
    path = tmp_path / "paginas.txt"
    path.write_text("\f".join(f"Pagina {n} tekst." for n in range(5)), encoding="utf-8")
    with pytest.raises(DocumentError, match="5 pagina's; de grens is 3"):
        load_document(path, dataclasses.replace(DEFAULTS, max_pages=3))


def test_documents_within_the_limits_load(tmp_path):
    path = tmp_path / "klein.docx"
    path.write_bytes(small_docx())
    assert "Sociale innovatie" in load_document(path).pages[0].text
