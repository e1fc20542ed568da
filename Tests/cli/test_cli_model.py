"""glove train / neighbors / analogy / export / evaluate on the basic corpus vectors."""
import os
import platform
import struct
import subprocess

import pytest

CLI = os.environ.get("GLOVE_CLI", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "glove"))
CASE = os.path.join(os.path.dirname(__file__), "..", "vectors", "corpus", "basic")


def run(*args, stdin=b""):
    return subprocess.run([CLI, *map(str, args)], input=stdin, capture_output=True)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("model")
    vocab = os.path.join(CASE, "vocab.txt")
    assert run("cooccur", "--quiet", "--vocab", vocab, "--format", "native", "-o", tmp / "c.glc",
               os.path.join(CASE, "corpus.txt")).returncode == 0
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        r = run("train", "--vocab", vocab, "--cooc", tmp / "c.glc", "--dim", 10, "--epochs", 3, "--threads", 1,
                "--batch-size", 64, "--seed", seed, "-o", tmp / f"{name}.glove")
        assert r.returncode == 0, r.stderr
    return tmp


def test_training_is_deterministic_and_reports_epochs(model):
    a, b, c = ((model / f"{n}.glove").read_bytes() for n in "abc")
    assert a == b and a != c


def test_the_x86_64_v3_build_trains_the_baseline_model(model, tmp_path):
    """`glove` hands over to its AVX2/FMA build on such CPUs (GLOVE_CPU=baseline keeps the
    baseline one); both must give the same bytes, for Adam and AdaGrad alike."""
    faster = os.path.join(os.path.dirname(CLI), "..", "libexec", "glove", "x86-64-v3", "glove")
    if platform.machine() != "x86_64":
        assert not os.path.exists(faster)
        return
    assert os.access(faster, os.X_OK)
    vocab = os.path.join(CASE, "vocab.txt")
    for objective in ("seed", "paper"):
        outputs = []
        for binary, cpu in ((CLI, "baseline"), (CLI, ""), (faster, "")):
            out = tmp_path / f"{objective}-{len(outputs)}.glove"
            r = subprocess.run([binary, "train", "--quiet", "--vocab", vocab, "--cooc", str(model / "c.glc"), "--dim", "10",
                                "--epochs", "3", "--threads", "1", "--batch-size", "64", "--seed", "1",
                                "--objective", objective, "-o", str(out)],
                               capture_output=True, env={**os.environ, "GLOVE_CPU": cpu})
            assert r.returncode == 0, r.stderr
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1] == outputs[2]
        if objective == "seed":
            assert outputs[0] == (model / "a.glove").read_bytes()


def test_threads_sharing_large_batches_repeat_to_the_bit(model, tmp_path):
    # Batches of 8,192 or more are trained by the threads together: the same
    # thread count gives the same model file, in memory and streamed.
    vocab = os.path.join(CASE, "vocab.txt")
    for stream in ((), ("--stream", "--temp-dir", tmp_path)):
        outputs = []
        for n in range(2):
            out = tmp_path / f"shared-{n}.glove"
            r = run("train", "--quiet", "--vocab", vocab, "--cooc", model / "c.glc", "--dim", 10, "--epochs", 3,
                    "--threads", 2, "--batch-size", 8192, "--seed", 5, *stream, "-o", out)
            assert r.returncode == 0, r.stderr
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1]


def test_training_prints_progress(model, tmp_path):
    r = run("train", "--vocab", os.path.join(CASE, "vocab.txt"), "--cooc", model / "c.glc", "--dim", 4, "--epochs", 2,
            "--objective", "paper", "--threads", 2, "-o", tmp_path / "p.glove")
    assert r.returncode == 0 and b"epoch 2/2 loss" in r.stderr
    r = run("train", "--quiet", "--vocab", os.path.join(CASE, "vocab.txt"), "--cooc", model / "c.glc", "--dim", 4,
            "--epochs", 1, "-o", tmp_path / "q.glove")
    assert r.returncode == 0 and r.stderr == b""


def test_checkpoint_resumes_to_the_uninterrupted_model(model, tmp_path):
    args = ("train", "--quiet", "--vocab", os.path.join(CASE, "vocab.txt"), "--cooc", model / "c.glc",
            "--threads", 1, "--batch-size", 64, "--seed", 1, "--checkpoint", tmp_path / "ck")
    assert run(*args, "--dim", 10, "--epochs", 2, "-o", tmp_path / "two.glove").returncode == 0
    r = run(*args, "--dim", 10, "--epochs", 3, "-o", tmp_path / "three.glove")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "three.glove").read_bytes() == (model / "a.glove").read_bytes()
    r = run(*args, "--dim", 11, "--epochs", 3, "-o", tmp_path / "other.glove")
    assert r.returncode != 0 and b"dimension differs" in r.stderr and not (tmp_path / "other.glove").exists()


def test_streamed_training_is_deterministic_resumable_and_fits_like_training_in_memory(model, tmp_path):
    vocab = os.path.join(CASE, "vocab.txt")
    assert run("cooccur", "--quiet", "--vocab", vocab, "--format", "stanford", "-o", tmp_path / "c.bin",
               os.path.join(CASE, "corpus.txt")).returncode == 0
    args = ("train", "--vocab", vocab, "--dim", 10, "--threads", 1, "--batch-size", 64, "--seed", 1, "--stream")
    outputs = []
    for n, extra in enumerate([("--cooc", model / "c.glc"),
                               ("--cooc", model / "c.glc", "--memory-limit", 1, "--temp-dir", tmp_path),
                               ("--cooc", tmp_path / "c.bin", "--cooc-format", "stanford")]):
        r = run(*args, *extra, "--epochs", 3, "-o", tmp_path / f"s{n}.glove")
        assert r.returncode == 0, r.stderr
        outputs.append((tmp_path / f"s{n}.glove").read_bytes())
    # The Stanford file lists the entries in the order the native one expands them: same model.
    assert outputs[0] == outputs[1] == outputs[2] != (model / "a.glove").read_bytes()
    held = run("train", "--vocab", vocab, "--cooc", model / "c.glc", "--dim", 10, "--threads", 1, "--batch-size", 64,
               "--seed", 1, "--epochs", 6, "-o", tmp_path / "held.glove")

    # Compared once the loss has settled (it still falls 2-3x an epoch until the fourth).
    def last_loss(stderr):
        return float(stderr.decode().split("epoch 6/6 loss ")[1].split(",")[0])
    streamed = run(*args, "--cooc", model / "c.glc", "--epochs", 6, "-o", tmp_path / "again.glove")
    assert abs(last_loss(streamed.stderr) - last_loss(held.stderr)) < 0.25 * last_loss(held.stderr)
    ckpt = ("--cooc", model / "c.glc", "--checkpoint", tmp_path / "ck")
    assert run(*args, *ckpt, "--epochs", 2, "-o", tmp_path / "two.glove").returncode == 0
    assert run(*args, *ckpt, "--epochs", 3, "-o", tmp_path / "three.glove").returncode == 0
    assert (tmp_path / "three.glove").read_bytes() == outputs[0]
    damaged = bytearray((model / "c.glc").read_bytes())
    damaged[40] ^= 1
    (tmp_path / "bad.glc").write_bytes(bytes(damaged))
    r = run(*args, "--cooc", tmp_path / "bad.glc", "--epochs", 1, "-o", tmp_path / "bad.glove")
    assert r.returncode != 0 and b"checksum" in r.stderr and not (tmp_path / "bad.glove").exists()
    r = run(*args, "--cooc", model / "c.glc", "--memory-limit", 0, "-o", tmp_path / "bad.glove")
    assert r.returncode != 0 and b"--memory-limit" in r.stderr


def test_spelling_aware_training_answers_unseen_words(model, tmp_path):
    vocab = os.path.join(CASE, "vocab.txt")
    args = ("train", "--quiet", "--vocab", vocab, "--cooc", model / "c.glc", "--dim", 10, "--epochs", 3, "--threads", 1,
            "--objective", "paper", "--subword-hashes", 2, "--subword-buckets", 64)
    assert run(*args, "-o", tmp_path / "a.glove").returncode == 0
    assert run(*args, "-o", tmp_path / "b.glove").returncode == 0
    assert (tmp_path / "a.glove").read_bytes() == (tmp_path / "b.glove").read_bytes()
    assert struct.unpack_from("<I", (tmp_path / "a.glove").read_bytes(), 8)[0] == 2  # model format version 2
    r = run("neighbors", tmp_path / "a.glove", "unseenword", "-k", 3)
    assert r.returncode == 0 and b"unseenword (via bucket)" in r.stdout and len(r.stdout.splitlines()) == 4
    assert run("cooccur", "--quiet", "--vocab", vocab, "--oov", "bucket", "--format", "native", "-o", tmp_path / "b.glc",
               os.path.join(CASE, "corpus.txt")).returncode == 0
    r = run(*args[:4], "--cooc", tmp_path / "b.glc", "--subword-hashes", 2, "-o", tmp_path / "c.glove")
    assert r.returncode != 0 and b"out-of-vocabulary tokens dropped" in r.stderr


def test_neighbors_and_analogy(model):
    r = run("neighbors", model / "a.glove", "the", "-k", 3)
    lines = r.stdout.decode().splitlines()
    assert r.returncode == 0 and lines[0] == "the" and len(lines) == 4
    r = run("neighbors", model / "a.glove", stdin=b"the\nthe of and\nqqqq\n")
    out = r.stdout.decode()
    assert "the : of :: and : ?" in out and "qqqq: not in the vocabulary" in out
    r = run("analogy", model / "a.glove", "the", "of", "and", "-k", 2)
    assert r.returncode == 0 and len(r.stdout.decode().splitlines()) == 3


def test_export_formats(model, tmp_path):
    assert run("export", "--format", "glove-text", "-o", tmp_path / "v.txt", model / "a.glove").returncode == 0
    lines = (tmp_path / "v.txt").read_text().splitlines()
    vocab = [line.split()[0] for line in open(os.path.join(CASE, "vocab.txt"))]
    assert [line.split()[0] for line in lines] == vocab and all(len(line.split()) == 11 for line in lines)
    assert run("export", "--format", "word2vec-text", "-o", tmp_path / "w.txt", model / "a.glove").returncode == 0
    assert (tmp_path / "w.txt").read_text().splitlines()[0] == f"{len(vocab)} 10"
    assert run("export", "--format", "word2vec-bin", "-o", tmp_path / "w.bin", model / "a.glove").returncode == 0
    data = (tmp_path / "w.bin").read_bytes().split(b"\n", 1)[1]
    word, rest = data.split(b" ", 1)
    first = [float(x) for x in lines[0].split()[1:]]
    assert word.decode() == vocab[0] and struct.unpack("<10f", rest[:40]) == pytest.approx(first, abs=1e-6)
    # Text vectors load back as a model.
    r = run("neighbors", tmp_path / "v.txt", "the", "-k", 3)
    assert r.stdout == run("neighbors", model / "a.glove", "the", "-k", 3).stdout


def test_evaluate(model, tmp_path):
    (tmp_path / "pairs.tsv").write_text("the of 5\nthe and 4\nof and 1\nthe qqqq 1\n")
    (tmp_path / "q.txt").write_text(": s\nthe of and in\n")
    r = run("evaluate", "--similarity", tmp_path / "pairs.tsv", "--analogies", tmp_path / "q.txt", model / "a.glove")
    out = r.stdout.decode()
    assert r.returncode == 0 and "over 3 of 4 pairs" in out and "over 1 of 1 questions" in out


@pytest.mark.parametrize("args,message", [
    (("train", "--vocab", "VOCAB", "--cooc", "/nonexistent.glc", "-o", "/tmp/x.glove"), b"/nonexistent.glc"),
    (("train", "--vocab", "VOCAB", "--cooc", "COOC", "--dim", "0", "-o", "/tmp/x.glove"), b"dim must be in 1...4096 (got 0)"),
    (("neighbors", "/nonexistent.glove", "the"), b"/nonexistent.glove"),
    (("evaluate", "--similarity", "/nonexistent.tsv", "MODEL"), b"/nonexistent.tsv"),
])
def test_errors(model, args, message):
    table = {"VOCAB": os.path.join(CASE, "vocab.txt"), "COOC": str(model / "c.glc"), "MODEL": str(model / "a.glove")}
    r = run(*[table.get(a, a) for a in args])
    assert r.returncode != 0 and message in r.stderr, r.stderr


def svg_circles(path):
    import xml.etree.ElementTree as ET
    root = ET.parse(path).getroot()
    return root, [e for e in root.iter() if e.tag.endswith("circle")]


def test_plots_are_svg_with_one_mark_per_value(model, tmp_path):
    r = run("plot", "loss", model / "a.glove", "-o", tmp_path / "loss.svg")
    assert r.returncode == 0, r.stderr
    root, circles = svg_circles(tmp_path / "loss.svg")
    assert root.tag.endswith("svg") and len(circles) == 3  # one per epoch
    r = run("plot", "words", model / "a.glove", "the", "of", "--neighbors", "3", "-o", tmp_path / "words.svg")
    assert r.returncode == 0, r.stderr
    _, circles = svg_circles(tmp_path / "words.svg")
    assert 4 <= len(circles) <= 8  # 2 words and up to 3 neighbours each, shared ones once
    texts = [e.text for e in ET_iter(tmp_path / "words.svg", "text")]
    assert "the" in texts and "of" in texts
    r = run("plot", "words", model / "a.glove", "the", "--neighbors", "3", "-o", "/nonexistent/dir/w.svg")
    assert r.returncode != 0 and b"/nonexistent/dir/w.svg" in r.stderr


def ET_iter(path, tag):
    import xml.etree.ElementTree as ET
    return [e for e in ET.parse(path).getroot().iter() if e.tag.endswith(tag)]
