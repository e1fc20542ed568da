"""glove vocab / cooccur / shuffle against the shared corpus vectors."""
import importlib.util
import os
import struct
import subprocess

import pytest

CLI = os.environ.get("GLOVE_CLI", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "glove"))
VECTORS = os.path.join(os.path.dirname(__file__), "..", "vectors", "corpus")
spec = importlib.util.spec_from_file_location("reference_cooccur",
                                              os.path.join(os.path.dirname(__file__), "..", "reference", "cooccur.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True)


def read_native(path):
    """The documented native format: header, rows, columns, values, FNV-1a checksum."""
    data = open(path, "rb").read()
    assert data[:8] == b"GLOVECOO"
    version, layout, dimension, count = struct.unpack_from("<IIQQ", data, 8)
    assert version == 1 and layout == 0
    rows = struct.unpack_from(f"<{count}I", data, 32)
    cols = struct.unpack_from(f"<{count}I", data, 32 + 4 * count)
    vals = struct.unpack_from(f"<{count}d", data, 32 + 8 * count)
    h = 0xCBF29CE484222325
    for b in data[:-8]:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    assert struct.unpack_from("<Q", data, len(data) - 8)[0] == h
    out = {}
    for i, j, x in zip(rows, cols, vals):
        out[(i, j)] = x
        out[(j, i)] = x
    return out


@pytest.mark.parametrize("name", sorted(os.listdir(VECTORS)))
def test_vocab_and_cooccur_match_reference(tmp_path, name):
    folder = os.path.join(VECTORS, name)
    o = dict(line.strip().split("=", 1) for line in open(os.path.join(folder, "case.txt")))
    corpus = os.path.join(folder, "corpus.txt")
    vocab = tmp_path / "vocab.txt"
    r = run("vocab", "--quiet", "--min-count", o["min_count"], "--max-size", o["max_size"], "--mode", o["mode"],
            "-o", vocab, corpus)
    assert r.returncode == 0, r.stderr
    assert vocab.read_bytes() == open(os.path.join(folder, "vocab.txt"), "rb").read()
    expected = ref.read_triples(os.path.join(folder, "triples.tsv"))
    common = ["--quiet", "--vocab", vocab, "--window", o["window"], "--weighting", o["weighting"], "--oov", o["oov"],
              "--mode", o["mode"], "--subsample", o["subsample"]]
    r = run("cooccur", *common, "--format", "stanford", "-o", tmp_path / "c.bin", corpus)
    assert r.returncode == 0, r.stderr
    got = {(i, j): x for i, j, x in ref.read_stanford_binary(tmp_path / "c.bin")}
    assert got == pytest.approx(expected, rel=1e-8) and got.keys() == expected.keys()
    r = run("cooccur", *common, "--format", "native", "--threads", "2", "--memory-limit", "1", "-o", tmp_path / "c.glc", corpus)
    assert r.returncode == 0, r.stderr
    native = read_native(tmp_path / "c.glc")
    assert native == pytest.approx(expected, rel=1e-8) and native.keys() == expected.keys()
    # Without --vocab: the vocabulary is built in the same read, and the files are the same.
    one_read = ["--quiet", "--min-count", o["min_count"], "--max-size", o["max_size"], "--vocab-output",
                tmp_path / "v1.txt", *common[3:]]
    r = run("cooccur", *one_read, "--format", "stanford", "-o", tmp_path / "c1.bin", corpus)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "v1.txt").read_bytes() == vocab.read_bytes()
    assert (tmp_path / "c1.bin").read_bytes() == (tmp_path / "c.bin").read_bytes()
    r = run("cooccur", *one_read, "--format", "native", "--threads", "2", "--memory-limit", "1", "-o", tmp_path / "c1.glc",
            corpus)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "c1.glc").read_bytes() == (tmp_path / "c.glc").read_bytes()


def test_shuffle_keeps_records_and_depends_on_the_seed(tmp_path):
    folder = os.path.join(VECTORS, "basic")
    assert run("vocab", "--quiet", "--min-count", "2", "-o", tmp_path / "v.txt", os.path.join(folder, "corpus.txt")).returncode == 0
    assert run("cooccur", "--quiet", "--vocab", tmp_path / "v.txt", "-o", tmp_path / "c.bin",
               os.path.join(folder, "corpus.txt")).returncode == 0
    for seed, name in ((1, "a"), (1, "b"), (2, "c")):
        r = run("shuffle", "--quiet", "--seed", seed, "--memory-limit", "1", "-o", tmp_path / f"{name}.bin", tmp_path / "c.bin")
        assert r.returncode == 0, r.stderr
    original = ref.read_stanford_binary(tmp_path / "c.bin")
    a, b, c = (ref.read_stanford_binary(tmp_path / f"{n}.bin") for n in "abc")
    assert sorted(a) == sorted(original) and a == b and a != c and a != original


def test_progress_lines_and_quiet(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n" * 10)
    r = run("vocab", "--min-count", "1", "-o", tmp_path / "v.txt", corpus)
    assert r.returncode == 0 and b"vocab: 3 words" in r.stderr
    r = run("vocab", "--quiet", "--min-count", "1", "-o", tmp_path / "v.txt", corpus)
    assert r.stderr == b""


@pytest.mark.parametrize("args,message", [
    (("vocab", "-o", "/tmp/x.txt", "/nonexistent/corpus.txt"), b"/nonexistent/corpus.txt"),
    (("cooccur", "--vocab", "/nonexistent/vocab.txt", "-o", "/tmp/x.bin", "c.txt"), b"/nonexistent/vocab.txt"),
    (("cooccur", "--vocab", "VOCAB", "--window", "0", "-o", "/tmp/x.bin", "c.txt"), b"window must be in 1...16383"),
    (("cooccur", "--vocab", "VOCAB", "--subsample", "1", "-o", "/tmp/x.bin", "c.txt"), b"subsample must be in [0, 1)"),
    (("shuffle", "-o", "/tmp/x.bin", "/nonexistent/c.bin"), b"/nonexistent/c.bin"),
    (("cooccur", "-o", "/tmp/x.bin", "c.txt"), b"either --vocab"),
    (("cooccur", "--vocab", "VOCAB", "--vocab-output", "/tmp/v.txt", "-o", "/tmp/x.bin", "c.txt"), b"either --vocab"),
    (("cooccur", "--vocab-output", "/tmp/v.txt", "-o", "/tmp/x.bin", "/nonexistent/corpus.txt"), b"/nonexistent/corpus.txt"),
    (("cooccur", "--vocab", "VOCAB", "--min-count", "3", "-o", "/tmp/x.bin", "c.txt"), b"with --vocab-output, not --vocab"),
])
def test_errors_name_the_file_or_parameter(tmp_path, args, message):
    (tmp_path / "v.txt").write_text("a 1\n")
    args = [str(tmp_path / "v.txt") if a == "VOCAB" else a for a in args]
    r = run(*args)
    assert r.returncode != 0 and message in r.stderr, r.stderr


def test_one_read_leaves_no_matrix_when_its_vocabulary_cannot_be_written(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n" * 10)
    r = run("cooccur", "--quiet", "--min-count", "1", "--vocab-output", tmp_path / "missing" / "v.txt",
            "-o", tmp_path / "c.bin", corpus)
    assert r.returncode != 0 and b"missing" in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]


def test_bad_vocab_line_is_reported_with_its_number(tmp_path):
    (tmp_path / "v.txt").write_text("a 1\nb\n")
    (tmp_path / "c.txt").write_text("a b\n")
    r = run("cooccur", "--vocab", tmp_path / "v.txt", "-o", tmp_path / "x.bin", tmp_path / "c.txt")
    assert r.returncode != 0 and b"v.txt:2:" in r.stderr
