"""The glove command line against the shared min-hash test vectors.

Run with GLOVE_CLI set to the binary (make test-cli does this)."""
import os
import subprocess

import pytest

CLI = os.environ.get("GLOVE_CLI", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "glove"))
VECTORS = os.path.join(os.path.dirname(__file__), "..", "vectors", "minhash.tsv")


def run(*args, stdin=b""):
    return subprocess.run([CLI, *args], input=stdin, capture_output=True)


@pytest.fixture(scope="module")
def rows():
    out = []
    with open(VECTORS, encoding="ascii") as f:
        for line in f:
            if not line.startswith("#"):
                hexword, compat, full0, full42, sig = line.rstrip("\n").split("\t")
                out.append((bytes.fromhex(hexword), int(compat), int(full0), int(full42), sig))
    return out


def parse(stdout: bytes):
    lines = stdout.split(b"\n")
    assert lines[-1] == b""
    return [tuple(line.rsplit(b"\t", 1)) for line in lines[:-1]]


@pytest.mark.parametrize("args,column", [((), 1), (("--scheme", "full"), 2),
                                          (("--scheme", "full", "--buckets", "1000003", "--seed", "42"), 3)])
def test_stdin_words_match_vectors(rows, args, column):
    usable = [r for r in rows if b"\n" not in r[0]]  # a line is a word
    assert len(usable) >= 1000
    result = run("minhash", *args, stdin=b"\n".join(r[0] for r in usable) + b"\n")
    assert result.returncode == 0, result.stderr
    got = parse(result.stdout)
    assert [w for w, _ in got] == [r[0] for r in usable]  # bytes echoed unchanged
    assert [int(b) for _, b in got] == [r[column] for r in usable]


def test_argument_words_match_vectors(rows):
    words = [r for r in rows if r[0] and b"\0" not in r[0] and b"\n" not in r[0] and _utf8(r[0])][:300]
    result = subprocess.run([CLI, "minhash", *[os.fsdecode(r[0]) for r in words]], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert [int(b) for _, b in parse(result.stdout)] == [r[1] for r in words]


def test_invalid_utf8_arguments_are_read_as_text():
    # Documented: arguments are text (invalid bytes become U+FFFD); stdin keeps bytes.
    result = subprocess.run([CLI, "minhash", os.fsdecode(b"caf\xe9")], capture_output=True)
    repaired = run("minhash", stdin="caf\ufffd".encode() + b"\n").stdout.split(b"\t")[1]
    assert result.stdout.split(b"\t")[1] == repaired


def _utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_signature_matches_vectors(rows):
    word, *_, sig = next(r for r in rows if r[0] == b"zebra")
    result = run("minhash", "--scheme", "full", "--seed", "7", "--hashes", "4", "--signature", "zebra")
    assert result.stdout == b"zebra\t" + sig.encode() + b"\n"


def test_jaccard():
    assert run("minhash", "--jaccard", "--hashes", "128", "democracy", "democracy").stdout == b"1.0\n"
    assert run("minhash", "--jaccard", "aaaaaaa", "zzzzzzz").stdout == b"0.0\n"


def test_version():
    assert run("--version").stdout.strip() == b"0.1.0"


def test_help_has_examples():
    assert b"Examples:" in run("minhash", "--help").stdout


@pytest.mark.parametrize("args,message", [
    (("minhash", "--buckets", "10", "zebra"), b"num_buckets must be 65536 for the compat scheme (got 10)"),
    (("minhash", "--jaccard", "one"), b"--jaccard needs exactly two words"),
    (("minhash", "--scheme", "bogus", "x"), b"bogus"),
    (("minhash", "--hashes", "0", "--signature", "x"), b"num_hashes must be in 1...65536"),
])
def test_errors_exit_non_zero_with_a_message(args, message):
    result = run(*args)
    assert result.returncode != 0
    assert message in result.stderr
    assert result.stdout == b""
