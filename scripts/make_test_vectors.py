#!/usr/bin/env python3
"""Writes Tests/vectors/minhash.tsv, the min-hash test vectors shared by the
Swift, C, Python and CLI tests.

This is an independent reference: it uses Python's binascii.crc32 and the
mmh3 package, not libglove.  Each row is

    word_hex  compat  full_65536_seed0  full_1000003_seed42  signature_k4_seed7

where word_hex is the word's bytes in hex (so NUL, tabs and invalid UTF-8
survive), the next three columns are buckets, and the last is the
comma-separated 4-entry signature with seed 7 (raw 32-bit minima).

Usage: python3 scripts/make_test_vectors.py [OUTPUT]
"""
import binascii
import random
import sys

import mmh3


def compat_bucket(word: bytes) -> int:
    """The reference pipeline's min-hash, bit for bit."""
    n = len(word.decode("utf-8", "replace"))
    if n <= 4:
        return binascii.crc32(word) & 0xFFFF
    m = min(10, n)
    return min(binascii.crc32(word[i:i + 4]) & 0xFFFF for i in range(m - 4))


def full_minimum(word: bytes, seed: int) -> int:
    if len(word) < 4:
        return mmh3.hash(word, seed, signed=False)
    return min(mmh3.hash(word[i:i + 4], seed, signed=False) for i in range(len(word) - 3))


def full_bucket(word: bytes, buckets: int, seed: int) -> int:
    return full_minimum(word, seed) % buckets


def signature(word: bytes, k: int, seed: int) -> list:
    return [full_minimum(word, (seed + j) & 0xFFFFFFFF) for j in range(k)]


def words() -> list:
    """About 1,200 words: fixed cases, then seeded random ones of every kind."""
    fixed = ["", "a", "ab", "abc", "abcd", "abcde", "zebra", "hashes", "democracy",
             "democratic", "democracies", "king", "queen", "internationalization",
             "é", "né", "café", "naïve", "façade", "über", "straße", "niño",
             "日本", "日本語", "東京都庁舎", "中华人民共和国", "😀", "😀😀", "👍🏽ok",
             "👨‍👩‍👧‍👦", "a\tb", "tab\there", "nul\0byte", "\0", "\0\0\0\0\0\0",
             "x" * 200, "ü" * 50, "🙂" * 30, "Ω≈ç√∫", "Ἀθῆναι", "Москва", "שלום", "مرحبا",
             "ｆｕｌｌｗｉｄｔｈ", "e\u0301", "ﬁ", "İstanbul", "\u200bzero", "\U0010FFFF"]
    out = [w.encode("utf-8") for w in fixed]
    # Invalid UTF-8: lone continuation bytes, truncated and overlong
    # sequences, surrogates, bytes that never appear in UTF-8.
    out += [b"\x80", b"\xff", b"\xc0\xaf", b"\xe0\x80\x80", b"\xed\xa0\x80abcdef",
            b"abc\xe2\x82", b"\xf0\x9f\x98", b"\xf4\x90\x80\x80xyz", b"caf\xe9",
            b"\xc3\x28abcdefgh", b"\xfe\xfe\xff\xff", b"long\x80\x80\x80word\xc2",
            b"\xf0\x28\x8c\xbc\xf0\x90\x28\xbc", b"\xe2\x28\xa1abc"]
    rng = random.Random(20261129)
    alphabets = {
        "ascii": "abcdefghijklmnopqrstuvwxyz",
        "mixed": "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-'_",
        "accents": "aeiouéèêëàâäôöùûüçñßøå",
        "cjk": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多",
        "emoji": "😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘👍👎👏🙌🎉🔥✨⭐🌍",
        "greek_cyrillic": "αβγδεζηθικλμνξοπρστυφχψωабвгдежзийклмнопрстуфхцчшщ",
    }
    for name, alphabet in alphabets.items():
        for _ in range(180):
            length = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 40])
            out.append("".join(rng.choice(alphabet) for _ in range(length)).encode("utf-8"))
    for _ in range(80):
        length = rng.randrange(0, 24)
        out.append(bytes(rng.randrange(256) for _ in range(length)))
    return out


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "Tests/vectors/minhash.tsv"
    rows = words()
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("# libglove min-hash test vectors, made by scripts/make_test_vectors.py\n")
        f.write("# (binascii.crc32 and mmh3 as the independent reference).\n")
        f.write("# word_hex\tcompat\tfull_65536_seed0\tfull_1000003_seed42\tsignature_k4_seed7\n")
        for w in rows:
            sig = ",".join(str(v) for v in signature(w, 4, 7))
            f.write(f"{w.hex()}\t{compat_bucket(w)}\t{full_bucket(w, 65536, 0)}\t"
                    f"{full_bucket(w, 1000003, 42)}\t{sig}\n")
    print(f"wrote {len(rows)} rows to {path}")


if __name__ == "__main__":
    main()
