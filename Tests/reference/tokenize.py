#!/usr/bin/env python3
"""Reference tokenizer for libglove (stdlib only).

This is the independent definition that the Swift tokenizer is tested
against. It is written for clarity, not speed.

Definition
----------
* Input is bytes. It is decoded as UTF-8 with ``errors="replace"``: each
  maximal invalid subpart becomes one U+FFFD (Python's decoder follows the
  Unicode "maximal subpart" practice).
* Lines (= documents) are split at ``b"\\n"`` only. ``\\r``, ``\\v``,
  ``\\f``, U+2028 and the like are *not* line breaks; a trailing ``\\r`` is
  just whitespace. A file ending in ``\\n`` has no extra empty last line.
* ``mode="default"``: the line is lowercased with ``str.lower()`` and then
  split into maximal runs of *token characters*. A character is a token
  character iff ``unicodedata.category(c)[0] in ("L", "M", "N")`` (letters,
  marks, numbers). Everything else (punctuation, symbols, whitespace,
  controls, U+FFFD, ...) separates tokens.
* ``mode="pretokenized"``: the line is split with ``str.split()`` (any
  Unicode whitespace) and tokens are kept as they are (no lowercasing).

Note: ``str.lower()`` applies the context-dependent Final_Sigma rule, so a
word-final capital sigma lowercases to U+03C2 (``"ΣΑΣ" -> "σας"``).

The categories come from Python's ``unicodedata`` (see
``unicodedata.unidata_version``); another Unicode version may classify a
few new code points differently.

CLI: ``python3 tokenize.py [--mode pretokenized] FILE`` prints one line of
space-separated tokens per input line; with ``--stats [--min-count N]`` it
prints counts instead (lines, tokens, distinct words, words with count >= N).
"""

import os
import sys

# This file shares its name with the stdlib module ``tokenize``. When run as
# a script, its folder is sys.path[0], so a later ``import tokenize`` (e.g.
# by linecache) would find this file instead of the stdlib. Drop the folder.
# Other code should load this file by path (see cooccur.load_tokenizer).
_HERE = os.path.dirname(os.path.abspath(__file__))
if __name__ == "__main__" and sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    del sys.path[0]

import argparse  # noqa: E402
import unicodedata  # noqa: E402
from typing import Iterator, List  # noqa: E402

MODES = ("default", "pretokenized")

_TOKEN_CATEGORY_CLASSES = ("L", "M", "N")


def is_token_char(c: str) -> bool:
    """True iff c is a letter, mark or number (Unicode general category L*, M*, N*)."""
    return unicodedata.category(c)[0] in _TOKEN_CATEGORY_CLASSES


def tokenize_line(line: str, mode: str = "default") -> List[str]:
    """Split one decoded line (without its b"\\n") into tokens."""
    if mode == "pretokenized":
        return line.split()
    if mode != "default":
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    tokens = []
    current = []
    for c in line.lower():
        if is_token_char(c):
            current.append(c)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


def split_lines(data: bytes) -> List[bytes]:
    """Split raw bytes into lines at b"\\n" only (no empty line after a final b"\\n")."""
    if not data:
        return []
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return lines


def decode(line: bytes) -> str:
    """Decode UTF-8, replacing each maximal invalid subpart with U+FFFD."""
    return line.decode("utf-8", errors="replace")


def tokenize_bytes(data: bytes, mode: str = "default") -> List[List[str]]:
    """Tokenize a whole byte string: one token list per line."""
    return [tokenize_line(decode(line), mode) for line in split_lines(data)]


def iter_documents(path, mode: str = "default") -> Iterator[List[str]]:
    """Yield one token list per line of the file at path (empty line -> [])."""
    with open(path, "rb") as f:
        data = f.read()
    for line in split_lines(data):
        yield tokenize_line(decode(line), mode)


def corpus_stats(path, mode: str = "default", min_count: int = 5) -> dict:
    """Line, token and vocabulary counts of a corpus file."""
    counts = {}
    lines = tokens = 0
    for doc in iter_documents(path, mode):
        lines += 1
        tokens += len(doc)
        for word in doc:
            counts[word] = counts.get(word, 0) + 1
    return {
        "lines": lines,
        "tokens": tokens,
        "distinct": len(counts),
        f"count>={min_count}": sum(1 for c in counts.values() if c >= min_count),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Reference tokenizer for libglove.")
    parser.add_argument("--mode", choices=MODES, default="default")
    parser.add_argument("--stats", action="store_true", help="print corpus counts, not tokens")
    parser.add_argument("--min-count", type=int, default=5, help="threshold for --stats")
    parser.add_argument("file")
    args = parser.parse_args(argv)
    if args.stats:
        for key, value in corpus_stats(args.file, args.mode, args.min_count).items():
            print(f"{key:<12} {value}")
        return 0
    out = sys.stdout
    for doc in iter_documents(args.file, args.mode):
        out.write(" ".join(doc))
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
