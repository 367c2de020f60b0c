"""The text of a PDF as a reader would copy it, without a PDF library: enough for the PDFs
fpdf2 writes (Type0 fonts with Identity-H encoding and a ToUnicode map, text shown with Tj
and TJ). Used to check that names print as they are written."""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*(stream\r?\n|endobj)", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
           b"(": b"(", b")": b")", b"\\": b"\\"}


def objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """{object number: (dictionary, decoded stream or None)}."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for m in OBJECT.finditer(data):
        number, dictionary = int(m.group(1)), m.group(2)
        stream = None
        if m.group(3).startswith(b"stream"):
            length = int(re.search(rb"/Length (\d+)", dictionary).group(1))
            stream = data[m.end():m.end() + length]
            if b"/FlateDecode" in dictionary:
                stream = zlib.decompress(stream)
        found[number] = (dictionary, stream)
    return found


def literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes, escapes resolved."""
    out, i = bytearray(), 0
    while i < len(raw):
        c = raw[i:i + 1]
        if c == b"\\":
            nxt = raw[i + 1:i + 2]
            if nxt in ESCAPES:
                out += ESCAPES[nxt]
                i += 2
                continue
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            i += 1
            continue
        out += c
        i += 1
    return bytes(out)


def to_unicode(cmap: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


STRING = rb"\((?:\\.|[^\\)])*\)"
TOKENS = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf|(" + STRING + rb")\s*Tj|\[((?:" + STRING +
                    rb"|[^\]])*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|\bET\b")


def extract_text(data: bytes) -> str:
    """The PDF's text, one line per text object (BT ... ET)."""
    objs = objects(data)
    maps: dict[bytes, dict[int, str]] = {}
    for dictionary, _stream in objs.values():
        for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", dictionary):
            font = objs[int(number)][0]
            ref = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if ref:
                maps[name] = to_unicode(objs[int(ref.group(1))][1] or b"")
    lines: list[str] = []
    current: dict[int, str] = {}
    line = ""
    for dictionary, stream in objs.values():
        if stream is None or b"/Length1" in dictionary or b"begincmap" in stream:
            continue
        for m in TOKENS.finditer(stream):
            font, tj, tj_array, hex_tj = m.groups()
            if font:
                current = maps.get(font, {})
                continue
            if m.group(0) == b"ET":
                if line:
                    lines.append(line)
                line = ""
                continue
            strings = ([literal(tj[1:-1])] if tj else
                       [bytes.fromhex(hex_tj.decode())] if hex_tj is not None else
                       [literal(s[1:-1]) for s in re.findall(STRING, tj_array)])
            for raw in strings:
                line += "".join(current.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd")
                                for i in range(0, len(raw) - 1, 2))
    return "\n".join(lines)
