#!/usr/bin/env python3
"""Turn a bzip2'd MediaWiki XML dump into plain text, one paragraph per line.

Made for gensim's small test dump
(enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2), but
works on any pages-articles dump. Stdlib only (bz2, xml, re, html).

Kept: the prose of main-namespace articles (redirects skipped), link labels
([[target|label]] -> label, [[word]] -> word, [http://x label] -> label),
heading text, list items (one per line).
Dropped: comments, <ref>s, templates {{...}}, tables {|...|}, files,
images, categories and interlanguage links, <math>/<gallery>-like blocks,
HTML tags, bold/italic quotes, magic words.

Usage: strip_wiki.py INPUT.xml.bz2 OUT   (OUT may be '-' for stdout)
"""

import argparse
import bz2
import html
import re
import sys
import xml.etree.ElementTree as ET

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_REF = re.compile(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>", re.S | re.I)
_DROP_BLOCKS = re.compile(
    r"<(math|gallery|timeline|source|syntaxhighlight|pre|score|imagemap|chem)\b[^>]*>.*?</\1>",
    re.S | re.I)
_TEMPLATE = re.compile(r"\{\{(?:(?!\{\{)[^}]|\}(?!\}))*\}\}", re.S)  # innermost {{...}}
_TABLE = re.compile(r"\{\|(?:(?!\{\|).)*?\|\}", re.S)  # innermost {| ... |}
_LINK = re.compile(r"\[\[([^\[\]]*)\]\]")  # innermost [[...]]
_EXT_LINK = re.compile(r"\[(?:https?|ftp)://[^\s\]]*(?:\s([^\]]*))?\]")
_BARE_URL = re.compile(r"(?:https?|ftp)://\S+")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_BOLD_ITALIC = re.compile(r"'{2,}")
_MAGIC = re.compile(r"__[A-Z]+__")
_HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$")
_LIST_MARK = re.compile(r"^[*#:;]+\s*")
_DROP_PREFIXES = ("file:", "image:", "category:", "media:", "wikt:", "wiktionary:",
                  "special:", "template:", "help:")
_INTERLANG = re.compile(r"^[a-z]{2,3}(?:-[a-z]+)?:")


def _repeat_sub(pattern: re.Pattern, repl, text: str) -> str:
    """Apply pattern.sub until nothing changes (for nested constructs)."""
    while True:
        new = pattern.sub(repl, text)
        if new == text:
            return text
        text = new


def _link_text(m: re.Match) -> str:
    """[[target|label]] -> label; namespaced and interlanguage links -> ''."""
    parts = m.group(1).split("|")
    target = parts[0].strip().lstrip(":").lower()
    if target.startswith(_DROP_PREFIXES) or _INTERLANG.match(target):
        return ""
    return parts[-1]


def wikitext_to_paragraphs(text: str) -> list:
    """Strip wiki markup; return plain-text paragraphs (one string each)."""
    text = _COMMENT.sub("", text)
    text = _REF.sub("", text)
    text = _DROP_BLOCKS.sub("", text)
    text = _repeat_sub(_TEMPLATE, "", text)
    text = _repeat_sub(_TABLE, "", text)
    text = _repeat_sub(_LINK, _link_text, text)
    text = _EXT_LINK.sub(lambda m: m.group(1) or "", text)
    text = _BARE_URL.sub("", text)
    text = _TAG.sub("", text)
    text = _BOLD_ITALIC.sub("", text)
    text = _MAGIC.sub("", text)
    text = html.unescape(text)  # entities written in the wikitext, e.g. &nbsp; &ndash;

    paragraphs, current = [], []

    def flush():
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            flush()
            continue
        heading = _HEADING.match(line)
        if heading or _LIST_MARK.match(line):
            flush()  # headings and list items are lines of their own
            line = heading.group(2) if heading else _LIST_MARK.sub("", line)
            if line:
                paragraphs.append(line)
            continue
        current.append(line)
    flush()
    return [p for p in paragraphs if any(c.isalnum() for c in p)]


def iter_articles(path):
    """Yield (title, wikitext) of main-namespace, non-redirect pages."""
    with bz2.open(path, "rb") as f:
        for _event, elem in ET.iterparse(f, events=("end",)):
            if elem.tag.rsplit("}", 1)[-1] != "page":
                continue
            fields = {child.tag.rsplit("}", 1)[-1]: child for child in elem}
            ns = fields.get("ns")
            revision = fields.get("revision")
            if (ns is None or ns.text == "0") and "redirect" not in fields and revision is not None:
                for child in revision:
                    if child.tag.rsplit("}", 1)[-1] == "text" and child.text:
                        yield fields["title"].text, child.text
            elem.clear()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="MediaWiki XML dump (.bz2) -> plain text lines.")
    parser.add_argument("input")
    parser.add_argument("out")
    args = parser.parse_args(argv)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="\n")
    articles = lines = 0
    for _title, wikitext in iter_articles(args.input):
        paragraphs = wikitext_to_paragraphs(wikitext)
        articles += 1
        for p in paragraphs:
            out.write(p)
            out.write("\n")
        lines += len(paragraphs)
    if out is not sys.stdout:
        out.close()
    print(f"strip_wiki: {articles} articles -> {lines} lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
