#!/usr/bin/env python3
"""Turn the dictd GCIDE dictionary into plain English text, one paragraph per line.

Input is Debian's ``dict-gcide`` database (``gcide.dict.dz``, dictzip = gzip
compatible, plus ``gcide.index``). Stdlib only (gzip, re).

What the dictd text looks like, and what we do with it::

    Affect \\Af*fect"\\ (a*f[e^]kt"), v. t. [imp. & p. p. {Affected}; ...]
       1. To act upon; to produce an effect or change upon.
          [1913 Webster]

* Entries: split at the offsets listed in ``gcide.index`` (the .dict file is
  just the entries back to back; the ~70 short stretches no index line
  points at stay with the entry before them). The ``00-*`` info entries
  (licence text) are skipped.
* ``\\Af*fect"\\``: the syllabified headword with stress marks -> removed
  (the plain headword is already at the start of the line). These blocks
  sometimes wrap onto the next line.
* Stress/syllable marks left inside words, as in run-on derivatives
  (``Ab`sent-mind"ed*ness``) or transliterated Greek (``e'i^dos``): the
  marks `` ` " * ^ ~`` between two word characters are deleted.
* ``(a*f[e^]kt")``: phonetic respelling in parentheses -> removed; recognised
  by containing a character code, ``*`` or ``"``, or being only ``?``s.
* ``[1913 Webster]``, ``[WordNet 1.5]``, ``[PJC]`` ... : source tags -> removed.
* ``[=a]``, ``['e]``, ``[ae]``, ``[eth]`` ... : character codes -> the Unicode
  character (``ā``, ``é``, ``æ``, ``ð``), so accented words stay one word.
  ``[root]``, sense numbers like ``{abortion[2]}`` and a few symbols go.
* ``{Affected}``: cross-reference braces -> just the text.
* ``--Milton.``: citation dashes -> ``Milton.`` (the author's name is kept).
* ``?`` stands for a character the conversion could not represent (often
  Greek); it is left in place and the tokenizer treats it as a separator.

Everything else (definitions, etymologies in ``[...]``, usage labels such as
``[Obs.]``, quotations) is kept as text. Each paragraph (block of lines
separated by a blank line) of an entry becomes one output line; with
``--per-entry`` each whole entry becomes one line instead.

Usage: strip_gcide.py [--per-entry] [--dict gcide.dict.dz] [--index gcide.index] OUT
"""

import argparse
import gzip
import re
import sys
import unicodedata

DEFAULT_DICT = "/usr/share/dictd/gcide.dict.dz"
DEFAULT_INDEX = "/usr/share/dictd/gcide.index"

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

# ---------------------------------------------------------------------------
# Character codes

# Accent marks written before (or, for "^", after) a letter: [=a] [a^] ['e] ...
_ACCENT_BEFORE = {
    "=": "\u0304",  # macron: [=a] -> ā
    "-": "\u0304",  # macron variant used in respellings
    ".": "\u0307",  # dot above: [.a] -> ȧ
    "'": "\u0301",  # acute: ['e] -> é
    "`": "\u0300",  # grave: [`e] -> è
    '"': "\u0308",  # diaeresis: ["o] -> ö
    "~": "\u0303",  # tilde: [~n] -> ñ
    "^": "\u0302",  # circumflex: [^o] -> ô
    "*": "\u030A",  # ring: [*a] -> å
    ",": "\u0327",  # cedilla: [,c] -> ç
}
_ACCENT_AFTER = {"^": "\u0306"}  # breve: [a^] -> ă (short vowel)

_NAMED = {
    "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "=ae": "ǣ",
    "eth": "ð", "thorn": "þ", "yogh": "ȝ", "ng": "ŋ", "th": "th",
    "imac": "ī", "aum": "ä", "add": "a", "asl": "a", "udd": "u",
    "oo^": "o͝o", "=oo": "o͞o", "dsdot": "d",
    "sect": "§", "deg": "°", "pounds": "£", "para": "¶", "middot": "·",
    "times": "×", "div": "÷", "divby": "÷", "nbsp": " ", "break": " ",
    "ldqo": "“", "rdqo": "”", "flat": "♭", "sharp": "♯", "rarr": "→",
    "dag": "†", "dagger": "†", "hand": "☞", "min": "′", "sec": "″",
    "bprime": "″", "asper": "", "crescent": "",
    "root": "", "cuberoot": "",
}
_GREEK = ("alpha beta gamma delta epsilon digamma zeta eta theta iota kappa lambda mu nu "
          "xi omicron pi rho sigma tau upsilon phi chi psi omega").split()
_GREEK_LOWER = "αβγδεϝζηθικλμνξοπρστυφχψω"
for _name, _ch in zip(_GREEK, _GREEK_LOWER):
    _NAMED[_name] = _ch
    _NAMED[_name.capitalize()] = _ch.upper()

_CODE = re.compile(r"\[([^\[\]\s]{1,8})\]")
_ACCENT_CODE = re.compile(r"([=\-.'`\"~^*,]?)([A-Za-z])(\^?)$")


def _decode_code(code: str):
    """Return the text for a character code like '=a' or 'eth', or None if it is not one."""
    if code in _NAMED:
        return _NAMED[code]
    if code.isdigit():  # sense index: {abortion[2]}, or a footnote mark
        return ""
    m = _ACCENT_CODE.match(code)
    if m and (m.group(1) or m.group(3)):
        before, letter, after = m.groups()
        mark = _ACCENT_BEFORE.get(before, "") + _ACCENT_AFTER.get(after, "")
        return unicodedata.normalize("NFC", letter + mark)
    return None


def _replace_code(m: re.Match) -> str:
    text = _decode_code(m.group(1))
    return m.group(0) if text is None else text


# ---------------------------------------------------------------------------
# Markup patterns

# Source / editor tags: "[1913 Webster]", "[WordNet 1.5 +PJC]", "[Webster 1913
# Suppl.]", "[Century Dict. 1906]", editor reference marks like "--[MW10]" or
# "decipher[WE1]", and "[break]". The whole bracket must consist of tag names.
_TAG_NAME = (r"(?:1913 Webster|Webster 1913(?: Suppl\.?)?|WordNet(?: 1\.[56]| sense \d+)?|"
             r"Century Dict\.?,? 1906\.?|PJC\.?|RDH|AS|GG|RP|RHUD|MW10|MI11|WE1|wn1|"
             r"wns\d+=\d+|break)")
_SOURCE_TAG = re.compile(r"\[\s*" + _TAG_NAME + r"(?:\s*\+?\s*" + _TAG_NAME + r")*\s*\]")
_PRONUNCIATION = re.compile(r"\\[^\\]{0,200}\\")  # \Af*fect"\ (may wrap onto the next line)
# Stress and syllable marks inside words: Ab`sent-mind"ed*ness, Gr. e'i^dos
_IN_WORD_MARKS = re.compile(r"(?<=\w)[`\"*^~]+(?=\w)")
_PAREN = re.compile(r"\(([^()]*)\)")
_HAS_CODE = re.compile(r"\[[^\[\]\s]{1,8}\]|\*|\"")
_ONLY_UNKNOWN = re.compile(r"^[\s?;,.\-]*(?:(?:or|and)[\s?;,.\-]+)*$")


def _drop_respelling(m: re.Match) -> str:
    """Remove '(a*f[e^]kt")'-style phonetic respellings, keep other parentheses."""
    inner = m.group(1)
    if _HAS_CODE.search(inner) and not _looks_like_prose(inner):
        return ""
    if "?" in inner and _ONLY_UNKNOWN.match(inner):
        return ""
    return m.group(0)


def _looks_like_prose(s: str) -> bool:
    """True for parentheses holding ordinary words, e.g. a quotation or gloss."""
    words = re.findall(r"[A-Za-z]{3,}", _CODE.sub("", s))
    return len(words) >= 4


def strip_entry(text: str) -> list:
    """Strip one dictd entry; return its paragraphs as single-line strings."""
    text = _SOURCE_TAG.sub(" ", text)
    text = _PRONUNCIATION.sub("", text)
    text = _PAREN.sub(_drop_respelling, text)
    text = _CODE.sub(_replace_code, text)
    text = text.replace("{", "").replace("}", "")
    text = _IN_WORD_MARKS.sub("", text)
    text = re.sub(r"(?<!\S)--(?=\S)", "", text)  # "--Milton." -> "Milton."
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        line = " ".join(block.split())
        if line:
            paragraphs.append(line)
    return paragraphs


# ---------------------------------------------------------------------------
# Reading the dictd database


def _b64(s: str) -> int:
    value = 0
    for ch in s:
        value = value * 64 + _B64.index(ch)
    return value


def read_entries(dict_path: str, index_path: str):
    """Yield the text of each entry, in file order, using the index's offsets."""
    with gzip.open(dict_path, "rb") as f:
        data = f.read()
    starts = set()
    skip = set()
    with open(index_path, "rb") as f:
        for raw in f:
            fields = raw.rstrip(b"\n").split(b"\t")
            if len(fields) < 3:
                continue
            offset = _b64(fields[1].decode("ascii"))
            starts.add(offset)
            if fields[0].startswith(b"00-"):
                skip.add(offset)
    ordered = sorted(starts)
    # An entry runs to the next entry's start, so text the index does not
    # cover (a few stray blocks) stays with the entry before it.
    for k, start in enumerate(ordered):
        if start in skip:
            continue
        end = ordered[k + 1] if k + 1 < len(ordered) else len(data)
        yield data[start:end].decode("utf-8", errors="replace")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Strip dictd GCIDE markup to plain text.")
    parser.add_argument("out", help="output text file ('-' for stdout)")
    parser.add_argument("--dict", default=DEFAULT_DICT)
    parser.add_argument("--index", default=DEFAULT_INDEX)
    parser.add_argument("--per-entry", action="store_true",
                        help="one line per dictionary entry instead of per paragraph")
    args = parser.parse_args(argv)

    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="\n")
    entries = lines = 0
    for entry in read_entries(args.dict, args.index):
        paragraphs = strip_entry(entry)
        if not paragraphs:
            continue
        entries += 1
        if args.per_entry:
            paragraphs = [" ".join(paragraphs)]
        for p in paragraphs:
            out.write(p)
            out.write("\n")
        lines += len(paragraphs)
    if out is not sys.stdout:
        out.close()
    print(f"strip_gcide: {entries} entries -> {lines} lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
