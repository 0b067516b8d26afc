"""Hostile corpus files for the reliability tests: each is something a careless user or an
attacker could drop into corpus/, paired with the words its skip reason must contain (or ""
when the file may be read: the promise is only "skipped with a reason or indexed").

`pdf()` writes a PDF from raw objects with a correct cross-reference table, so a test can
break exactly one thing (a missing font object, a 5,000-deep array, a compression bomb).
"""

from __future__ import annotations

import json
import zlib

PAGE_TEXT = b"BT /F1 12 Tf 72 720 Td (Revenue was RMB1.0 billion.) Tj ET"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF whose object i+1 is `objects[i]`; object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    """A stream object body holding `data`."""
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def page_pdf(content: bytes = PAGE_TEXT, font: bytes = b"5 0 R", extra: bytes = b"") -> bytes:
    """A one-page PDF with Helvetica as /F1 (object 5), the page content as object 4."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 " + font + b" >> >> " + extra + b">>",
            stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def bomb_pdf(megabytes: int = 200) -> bytes:
    """A page whose content stream inflates to `megabytes` MB (about 0.1% of that on disk)."""
    packed = zlib.compress(b" " * (megabytes << 20), 9)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream(packed, b"/Filter /FlateDecode "),
        ]
    )


def deep_json(levels: int) -> str:
    """A JSON value nested `levels` arrays deep."""
    return "[" * levels + "]" * levels


# name -> (content, words its skip reason must contain; "" = may be indexed instead).
HOSTILE: dict[str, tuple[str | bytes, str]] = {
    "deep-divs.html": (
        "<html><body>" + "<div>" * 1000 + "Deep text." + "</div>" * 1000 + "</body></html>",
        "",
    ),
    "very-deep-divs.html": ("<div><span>" * 20_000 + "Deepest text.", ""),
    "missing-font.pdf": (page_pdf(font=b"99 0 R"), "not a readable PDF"),
    "compression-bomb.pdf": (bomb_pdf(), "not a readable PDF"),
    "deep-array.pdf": (
        page_pdf(extra=b"/Junk " + b"[" * 5000 + b"]" * 5000 + b" "),
        "not a readable PDF",
    ),
    "truncated.pdf": (page_pdf()[:200], "not a readable PDF"),
    "not-a-pdf.pdf": (b"%PDF-1.4\n" + b"garbage " * 50, "not a readable PDF"),
    "empty.pdf": (b"", "not a readable PDF"),
    "nul-late.txt": ("Revenue was RMB1 billion.\n" * 400 + "\x00 binary tail", "binary"),
    "nul-early.md": (b"\x00\x01\x02 binary", "binary"),
    "latin1.txt": ("Caf\xe9 revenue".encode("latin-1"), "not UTF-8"),
    "empty.txt": ("", "empty"),
    "blank.md": ("   \n\n\t\n", "empty"),
    "nul.html": (b"<p>Revenue</p>\x00", "binary"),
    "only-script.html": ("<html><script>alert(1)</script></html>", "empty"),
    "deep-sidecar.txt": ("Acme revenue was RMB5 million.", "nested too deeply"),
    "big-sidecar.txt": ("Acme profit was RMB6 million.", "over 64 KB"),
    "bad-sidecar.txt": ("Acme margin was 12%.", "not readable JSON"),
    "deep-list.md": ("\n".join("  " * n + "- item" for n in range(1000)), ""),
    "oversized.txt": ("Revenue. " * (1 << 20), "over the 8 MB limit"),
    "huge-line.md": ("# Title\n\n" + "word " * 200_000, ""),
}
SIDECARS: dict[str, str] = {
    "deep-sidecar.meta.json": deep_json(20_000),
    "big-sidecar.meta.json": json.dumps({"company": "x" * 70_000}),
    "bad-sidecar.meta.json": "{not json",
}
