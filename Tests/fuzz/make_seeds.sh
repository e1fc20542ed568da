#!/usr/bin/env bash
# Regenerates the seed corpora in Tests/fuzz/corpus/ (small files, < 4 KB each):
# library-made files and hand-made edge cases from MakeSeeds.swift, gzip and
# bzip2 files from Python's zlib/bz2 (with hand-built headers), TSV tables from
# Tests/vectors/bilinear plus edge cases. Not run by CI; the output is checked in.
#
#   Tests/fuzz/make_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SWIFTC=${SWIFTC:-swiftc}
OUT=${FUZZ_BUILD:-.build-fuzz}
CORPUS=Tests/fuzz/corpus
mkdir -p "$OUT"

mapfile -t SOURCES < <(find Sources/GloVe -name '*.swift' | LC_ALL=C sort)
"$SWIFTC" -swift-version 6 -parse-as-library -module-name GloVeSeeds -Onone \
    "${SOURCES[@]}" Tests/fuzz/MakeSeeds.swift Tests/fuzz/CheckpointTrainers.swift -o "$OUT/make-seeds"
"$OUT/make-seeds" "$CORPUS"

python3 - "$CORPUS" <<'PY'
import bz2, gzip, os, struct, sys, zlib

root = sys.argv[1]

def seed(target, name, data):
    assert len(data) <= 4096, (target, name, len(data))
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data)

prose = ("The quick brown fox jumps over the lazy dog.\nÉlan vital, Straße, İstanbul.\n"
         "日本語のテキスト、中文。\n").encode()
repetitive = (b"abcabcabcabc" * 40 + b"x" * 300 + b"\n" + bytes(range(256)) + b"\n") * 2

def gz(data, level=9, mtime=0):
    return gzip.compress(data, compresslevel=level, mtime=mtime)

def deflate(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()

def member(data, flags=0, extra=b"", name=b"", comment=b"", level=6):
    header = bytearray(b"\x1f\x8b\x08" + bytes([flags]) + b"\0\0\0\0" + b"\0\x03")
    if flags & 4: header += struct.pack("<H", len(extra)) + extra
    if flags & 8: header += name + b"\0"
    if flags & 16: header += comment + b"\0"
    if flags & 2: header += struct.pack("<H", zlib.crc32(bytes(header)) & 0xFFFF)
    return bytes(header) + deflate(data, level) + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)

seed("gzip", "prose-dynamic.gz", gz(prose * 4))
seed("gzip", "short-fixed.gz", gz(b"hello hello\n"))
seed("gzip", "stored.gz", member(prose, level=0))
seed("gzip", "empty.gz", gz(b""))
seed("gzip", "multi-member.gz", gz(b"first member\n") + gz(b"second\n", level=1))
seed("gzip", "zero-padding.gz", gz(b"padded\n") + b"\0" * 16)
seed("gzip", "all-flags.gz", member(b"flags\n", flags=2 | 4 | 8 | 16, extra=b"AB\x02\0xy", name=b"f.txt", comment=b"c"))
seed("gzip", "repetitive.gz", gz(repetitive))
bad = bytearray(gz(b"crc will not match\n")); bad[-8] ^= 1
seed("gzip", "bad-crc.gz", bytes(bad))
seed("gzip", "not-gzip.gz", b"plain text\n")
seed("gzip", "truncated.gz", gz(prose)[:40])

seed("bzip2", "prose-9.bz2", bz2.compress(prose * 4, 9))
seed("bzip2", "prose-1.bz2", bz2.compress(prose, 1))
seed("bzip2", "empty.bz2", bz2.compress(b""))
seed("bzip2", "concatenated.bz2", bz2.compress(b"one\n") + bz2.compress(b"two\n"))
seed("bzip2", "runs.bz2", bz2.compress(b"a" * 1000 + b"bbbb" + b"ccccc" + b"\n" + repetitive))
seed("bzip2", "all-bytes.bz2", bz2.compress(bytes(range(256)) * 3))
bad = bytearray(bz2.compress(b"block crc will not match\n")); bad[10] ^= 0x10
seed("bzip2", "bad-block-crc.bz2", bytes(bad))
seed("bzip2", "truncated.bz2", bz2.compress(prose)[:30])
seed("bzip2", "not-bzip2.bz2", b"BZh9 plain text\n")

# TSV tables: the shared test vectors, then edge cases.
vectors = "Tests/vectors/bilinear"
for target, files in (("features", ("users.tsv", "items.tsv")), ("interactions", ("train.tsv", "test.tsv"))):
    for f in files:
        seed(target, f, open(os.path.join(vectors, f), "rb").read())
seed("features", "edge.tsv", b"# comment\n0\t0\t1\r\n\n 1 \t 2 \t-0.5e-3\n1\t2\t2.5\n3\t0\t0\n")
seed("features", "bad-field.tsv", b"0\t0\tx\n")
seed("features", "non-integer-id.tsv", b"0.5\t1\t1\n")
seed("features", "nan.tsv", b"0\t0\tnan\n1\t1\tinf\n")
seed("features", "overflow-value.tsv", b"0\t0\t1e39\n")
seed("interactions", "edge.tsv", b"# users items\n0\t1\n2\t3\t4.5\r\n\n 7 \t 8 \n1e2\t0\t-1\n")
seed("interactions", "four-fields.tsv", b"0\t1\t2\t3\n")
seed("interactions", "negative-id.tsv", b"-1\t0\n")
seed("interactions", "overflow-value.tsv", b"0\t0\t1e39\n")
PY

# Trained bilinear models from the CLI (`make cli`), when it is built.
GLOVE=${GLOVE_CLI:-build/bin/glove}
if [[ -x $GLOVE ]]; then
    V=Tests/vectors/bilinear
    for form in diagonal full factorized; do
        "$GLOVE" recommend fit --train $V/train.tsv --user-features $V/users.tsv --item-features $V/items.tsv \
            --form $form --rank 2 --epochs 3 --threads 1 -o "$CORPUS/bilinear/trained-$form.glbl" >/dev/null
    done
else
    echo "make_seeds: $GLOVE not built; skipping the trained bilinear seeds" >&2
fi

echo "seeds:"
for d in "$CORPUS"/*/; do
    printf '  %-14s %3d files, largest %5d bytes\n' "$(basename "$d")" "$(ls "$d" | wc -l)" \
        "$(find "$d" -type f -printf '%s\n' | sort -n | tail -n 1)"
done
