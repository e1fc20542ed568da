"""Resource limits: huge lines, millions of distinct tokens, huge windows and
files whose headers claim absurd sizes either work in bounded memory or fail
with a clear error. Every run has an address-space limit (a runaway
allocation fails instead of waking the OOM killer) and a timeout.
"""
import os
import resource
import struct
import subprocess
import tempfile

CLI = os.environ.get("GLOVE_CLI", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "glove"))
GIB = 1 << 30


def run(args, chunks=(), memory=2 * GIB, timeout=120):
    """Runs the CLI with `chunks` of bytes on standard input, at most `memory`
    bytes of address space and `timeout` seconds; returns (returncode, stderr)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen([CLI, *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err,
                             preexec_fn=limit)
        try:
            for chunk in chunks:
                p.stdin.write(chunk)
            p.stdin.close()
            p.wait(timeout=timeout)
        finally:
            p.kill()
        err.seek(0)
        return p.returncode, err.read().decode()


def one_gib_line():
    """1 GiB without a newline: 1,000 words padded to 64 bytes, 16,384 per MiB."""
    words = [f"w{k:03d}" for k in range(1000)]
    chunk = b"".join(w.encode().ljust(64) for w in (words * 17)[:16384])
    assert len(chunk) == 1 << 20
    return [chunk] * 1024


def test_a_one_gib_line_is_counted_in_bounded_memory(tmp_path):
    code, err = run(["vocab", "--quiet", "--min-count", 1, "-o", tmp_path / "vocab.txt", "-"], one_gib_line())
    assert code == 0, err
    counts = dict(line.split() for line in (tmp_path / "vocab.txt").read_text().splitlines())
    assert len(counts) == 1000 and counts["w000"] == "17408" and counts["w999"] == "16384"
    code, err = run(["cooccur", "--quiet", "--vocab", tmp_path / "vocab.txt", "--format", "native",
                        "--memory-limit", 64, "-o", tmp_path / "cooc.glc", "-"], one_gib_line(), memory=1 * GIB)
    assert code == 0, err
    assert (tmp_path / "cooc.glc").stat().st_size > 0


def test_a_one_gib_token_is_skipped_not_buffered(tmp_path):
    code, err = run(["vocab", "--quiet", "--min-count", 1, "-o", tmp_path / "vocab.txt", "-"],
                       [b"a" * (1 << 20)] * 1024 + [b" tail\n"], memory=1 * GIB)
    assert code == 0, err
    assert (tmp_path / "vocab.txt").read_text() == "tail 1\n"  # tokens over 1,024 bytes are skipped


def test_ten_million_distinct_tokens(tmp_path):
    def lines():
        for start in range(0, 10_000_000, 100_000):
            yield "".join(" ".join(f"t{k:07d}" for k in range(s, s + 20)) + "\n"
                          for s in range(start, start + 100_000, 20)).encode()

    code, err = run(["vocab", "--quiet", "--min-count", 1, "--threads", 2, "-o", tmp_path / "vocab.txt", "-"],
                       lines(), memory=6 * GIB, timeout=300)
    assert code == 0, err
    assert (tmp_path / "vocab.txt").stat().st_size == 10_000_000 * len("t0000000 1\n")


def test_a_window_of_ten_thousand(tmp_path):
    n, window = 20_000, 10_000
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(" ".join(f"w{k % 100}" for k in range(n)) + "\n")
    code, err = run(["vocab", "--quiet", "--min-count", 1, "-o", tmp_path / "vocab.txt", corpus])
    assert code == 0, err
    code, err = run(["cooccur", "--quiet", "--vocab", tmp_path / "vocab.txt", "--window", window,
                        "--weighting", "uniform", "-o", tmp_path / "cooc.bin", corpus])
    assert code == 0, err
    records = (tmp_path / "cooc.bin").read_bytes()
    total = sum(struct.unpack_from("<d", records, k + 8)[0] for k in range(0, len(records), 16))
    assert total == 2 * sum(n - d for d in range(1, window + 1))  # every pair within the window, both ways


def test_headers_claiming_two_to_the_forty_are_refused_at_once(tmp_path):
    model = tmp_path / "huge.glove"
    header = b"GLOVEMDL" + struct.pack("<6I3QI", 1, 0, 50, 0, 65536, 0, 1 << 40, 0, 0, 0)
    model.write_bytes(header + bytes(8))
    code, err = run(["neighbors", model, "the"], memory=1 * GIB, timeout=20)
    assert code != 0 and "1099511627776 rows" in err and "do not match the file" in err

    vocab = tmp_path / "vocab.txt"
    vocab.write_text("the 2\nof 1\n")
    cooc = tmp_path / "huge.glc"
    cooc.write_bytes(b"GLOVECOO" + struct.pack("<IIQQ", 1, 0, 2, 1 << 40) + bytes(8))
    code, err = run(["train", "--vocab", vocab, "--cooc", cooc, "-o", tmp_path / "m.glove"], memory=1 * GIB,
                       timeout=20)
    assert code != 0 and "claims 1099511627776 entries" in err


def test_stanford_records_summing_past_the_largest_double_are_refused(tmp_path):
    # Found by the fuzzer: a Stanford file repeats a position, and its values add up to infinity.
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("the 2\nof 1\nand 1\n")
    cooc = tmp_path / "huge.bin"
    cooc.write_bytes(struct.pack("<iid", 1, 2, 1.2e308) * 2)
    code, err = run(["train", "--vocab", vocab, "--cooc", cooc, "--cooc-format", "stanford", "--epochs", 1,
                     "-o", tmp_path / "m.glove"], timeout=20)
    assert code != 0 and "entry (0, 1) sum past the largest double" in err
    assert not (tmp_path / "m.glove").exists()


def fnv1a(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def sparse_folder(tmp_path):
    """A folder on tmpfs when there is one: sparse files there may claim 2^62 bytes."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else str(tmp_path)


def test_sparse_files_whose_sizes_match_but_overflow_or_exceed_memory_are_refused(tmp_path):
    # Found by an audit: sizes were checked against the file's length, which a sparse file can make 2^62.
    folder = sparse_folder(tmp_path)
    cases = [  # (name, header, length, command, message)
        ("m1.glove", b"GLOVEMDL" + struct.pack("<6I3QI", 1, 0, 4096, 0, 65536, 0, 1 << 58, 0, 0, 0), 1 << 62,
         ["neighbors", "FILE", "the"], "do not match the file"),
        ("m2.glove", b"GLOVEMDL" + struct.pack("<6I3QI", 1, 0, 1, 0, 65536, 0, 1 << 39, 0, 0, 0),
         60 + (1 << 39) * 8 + 8, ["neighbors", "FILE", "the"], "more than the memory this process may use"),
        ("c.glc", b"GLOVECOO" + struct.pack("<IIQQ", 1, 0, 10, 1 << 61), 1 << 62,
         ["train", "--vocab", "VOCAB", "--cooc", "FILE", "-o", "OUT"], "claims"),
    ]
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("the 2\nof 1\n")
    for name, header, length, command, message in cases:
        path = os.path.join(folder, f"libglove-limits-{os.getpid()}-{name}")
        try:
            with open(path, "wb") as f:
                f.write(header)
                f.truncate(length)
        except OSError:
            continue  # a file system without files that long
        try:
            args = [{"FILE": path, "VOCAB": vocab, "OUT": tmp_path / "m.glove"}.get(a, a) for a in command]
            code, err = run(args, memory=1 * GIB, timeout=20)
            assert code not in (0, -4, -5, -6, 132, 133, 134) and message in err, (name, code, err)
        finally:
            os.remove(path)


def test_a_small_bilinear_file_cannot_make_the_catalogue_exceed_memory(tmp_path):
    # 2 million empty item rows at rank 4,096: 16 MB of file, 32 GB of latent vectors.
    rank, items = 4096, 2_000_000
    header = b"GLOVEBIL" + struct.pack("<II", 1, 2) + struct.pack("<8Q", 1, 1, rank, items, 0, rank, rank, 0)
    body = header + struct.pack("<fI", 0.0, 0) + struct.pack("<f", 0.01) * (2 * rank) + struct.pack("<f", 1.0) * rank
    body += bytes(8) + bytes(8 * (items + 1))
    model = tmp_path / "big.glbl"
    model.write_bytes(body + struct.pack("<Q", fnv1a(body)))
    users = tmp_path / "u.tsv"
    users.write_text("0\t0\t1\n")
    code, err = run(["recommend", "top", "--model", model, "--user-features", users], memory=2 * GIB, timeout=60)
    assert code not in (0, 132, 133, 134) and "exceed the memory this process may use" in err, (code, err)


def test_a_model_whose_loss_history_is_not_finite_is_refused(tmp_path):
    words = [b"the", b"of"]
    vocab = b"".join(struct.pack("<I", len(w)) + w + struct.pack("<Q", 1) for w in words)
    header = b"GLOVEMDL" + struct.pack("<6I3QI", 1, 0, 2, 0, 65536, 0, 2, 2, len(vocab), 2)
    body = header + vocab + struct.pack("<4f", 0.1, 0.2, 0.3, 0.4) + bytes(8) + struct.pack("<2d", float("inf"), 1.0)
    model = tmp_path / "inf.glove"
    model.write_bytes(body + struct.pack("<Q", fnv1a(body)))
    code, err = run(["plot", "loss", model, "-o", tmp_path / "l.svg"], timeout=20)
    assert code == 1 and "NaN or infinity" in err, (code, err)
