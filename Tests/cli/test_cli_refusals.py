"""Refusals of the glove CLI found by a review: each must fail fast with a
clear message and a non-zero status, and lose nothing."""
import os
import resource
import signal
import subprocess

import pytest

CLI = os.environ.get("GLOVE_CLI", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "glove"))
CASE = os.path.join(os.path.dirname(__file__), "..", "vectors", "corpus", "basic")
VOCAB, CORPUS = os.path.join(CASE, "vocab.txt"), os.path.join(CASE, "corpus.txt")


def run(*args, stdout=subprocess.PIPE):
    return subprocess.run([CLI, *map(str, args)], stdout=stdout, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("refusals")
    assert run("cooccur", "--quiet", "--vocab", VOCAB, "--format", "native", "-o", tmp / "c.glc", CORPUS).returncode == 0
    r = run("train", "--quiet", "--vocab", VOCAB, "--cooc", tmp / "c.glc", "--dim", 8, "--epochs", 2, "--threads", 1,
            "-o", tmp / "m.glove")
    assert r.returncode == 0, r.stderr
    return tmp


def test_a_matrix_that_cannot_be_written_keeps_the_old_vocabulary_and_matrix(tmp_path):
    args = ["cooccur", "--quiet", "--min-count", 1, "--format", "native"]
    assert run(*args, "--vocab-output", tmp_path / "v.txt", "-o", tmp_path / "c.glc", CORPUS).returncode == 0
    sizes = os.path.getsize(tmp_path / "v.txt"), os.path.getsize(tmp_path / "c.glc")
    assert sizes[0] < sizes[1]
    vocab, matrix = tmp_path / "old-v.txt", tmp_path / "old-c.glc"
    vocab.write_bytes(b"old 1\n")
    matrix.write_bytes(b"the old matrix")

    def files_smaller_than_the_matrix():  # the vocabulary fits, the matrix fails with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = (sizes[0] + sizes[1]) // 2
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = subprocess.run([CLI, *map(str, args), "--vocab-output", vocab, "-o", matrix, CORPUS],
                       capture_output=True, preexec_fn=files_smaller_than_the_matrix)
    assert r.returncode != 0 and b"old-c.glc" in r.stderr, r.stderr
    assert vocab.read_bytes() == b"old 1\n" and matrix.read_bytes() == b"the old matrix"
    assert not [name for name in os.listdir(tmp_path) if ".tmp." in name]


@pytest.mark.parametrize("args", [
    ("cooccur", "--quiet", "--min-count", 1, "--vocab-output", "SAME", "-o", "SAME", CORPUS),
    ("cooccur", "--quiet", "--min-count", 1, "--vocab-output", "SAME", "-o", "DOTSAME", CORPUS),
    ("train", "--quiet", "--vocab", VOCAB, "--cooc", "COOC", "--checkpoint", "SAME", "-o", "SAME"),
])
def test_two_outputs_naming_one_file_are_refused(model, tmp_path, args):
    same = tmp_path / "same.out"
    dotted = os.path.join(os.path.dirname(same), ".", os.path.basename(same))
    r = run(*[{"SAME": same, "DOTSAME": dotted, "COOC": model / "c.glc"}.get(a, a) for a in args])
    assert r.returncode != 0 and b"name the same file" in r.stderr and not same.exists()


@pytest.mark.parametrize("command", [
    ("train", "--quiet", "--vocab", VOCAB, "--cooc", "COOC", "--dim", 8, "--epochs", 1000000),
    ("vocab", "--quiet", CORPUS),
    ("export", "--format", "glove-text", "MODEL"),
    ("plot", "loss", "MODEL"),
])
def test_outputs_in_missing_folders_are_refused_before_any_work(model, command):
    r = run(*[{"COOC": model / "c.glc", "MODEL": model / "m.glove"}.get(a, a) for a in command],
            "-o", "/nonexistent/dir/out")
    assert r.returncode != 0 and b"/nonexistent/dir" in r.stderr  # a million epochs would take minutes


def test_lost_standard_output_is_an_error(model):
    with open("/dev/full", "wb") as full:
        r = run("neighbors", model / "m.glove", "the", stdout=full)
    assert r.returncode != 0 and b"standard output" in r.stderr


@pytest.mark.parametrize("args, message", [
    (("neighbors", "MODEL", "the", "-k=-1"), b"-k must be at least 1"),
    (("analogy", "MODEL", "the", "of", "a", "-k", "0"), b"-k must be at least 1"),
    (("plot", "words", "MODEL", "the", "--neighbors=-1", "-o", "TMP/w.svg"), b"--neighbors must be at least 0"),
    (("cooccur", "--vocab", VOCAB, "-o", "TMP/c.bin", "--memory-limit=17592186044616", CORPUS), b"--memory-limit"),
    (("minhash", "--hashes", "0", "x"), b"Usage: glove minhash"),
    (("train", "--vocab", VOCAB, "--cooc", "COOC", "--dim", 4096, "--subword-hashes", 16, "--subword-buckets", 16777216,
      "-o", "TMP/x.glove"), b"this process may use"),
])
def test_bad_values_are_refused(model, tmp_path, args, message):
    r = run(*[{"MODEL": model / "m.glove", "COOC": model / "c.glc"}.get(a, str(a).replace("TMP", str(tmp_path)))
              for a in args])
    assert r.returncode not in (0, 134) and message in r.stderr, r.stderr


def test_a_damaged_model_reports_its_own_error_when_plotted(model, tmp_path):
    damaged = tmp_path / "d.glove"
    damaged.write_bytes((model / "m.glove").read_bytes()[:500])
    r = run("plot", "loss", damaged, "-o", tmp_path / "l.svg")
    assert r.returncode != 0 and b"bilinear" not in r.stderr and b"d.glove" in r.stderr


def test_a_word_given_twice_or_also_a_neighbour_is_drawn_once(model, tmp_path):
    r = run("plot", "words", model / "m.glove", "the", "the", "--neighbors", 3, "-o", tmp_path / "w.svg")
    assert r.returncode == 0, r.stderr
    svg = (tmp_path / "w.svg").read_text()
    assert svg.count("<circle") == 4  # "the" and its 3 neighbours
    assert not [name for name in os.listdir(tmp_path) if ".tmp." in name]


def test_resuming_a_checkpoint_past_the_epochs_asked_says_so(model, tmp_path):
    args = ("train", "--quiet", "--vocab", VOCAB, "--cooc", model / "c.glc", "--dim", 8, "--threads", 1,
            "--checkpoint", tmp_path / "run.ckpt", "-o", tmp_path / "m.glove")
    assert run(*args, "--epochs", 3).returncode == 0
    r = run(*args, "--epochs", 1)
    assert r.returncode == 0 and b"holds 3 epochs, more than --epochs 1" in r.stderr, r.stderr


def test_an_output_that_is_a_pipe_is_refused_before_any_work(model, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    r = run("train", "--quiet", "--vocab", VOCAB, "--cooc", model / "c.glc", "--epochs", 1000000, "-o", fifo)
    assert r.returncode != 0 and b"not a file" in r.stderr and not os.path.isfile(fifo)
