"""SIGKILL at random moments never leaves a corrupt or half-written file.

Three jobs are killed over and over: counting that spills sorted runs to
temporary files, training that saves a model over an older one, and
checkpointed training. After every kill the destination holds either the
previous file or the complete new one, byte for byte; checkpointed training
resumed after all its kills ends with the model of an uninterrupted run.
Unfinished output lives in unnamed files that die with the process, so the
kills leave no temporary files behind (a kill in the microseconds between
naming a finished file and renaming it could leave one: at most one is
tolerated).
"""
import os
import random
import subprocess
import time

import pytest

CLI = os.environ.get("GLOVE_CLI", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "glove"))
KILLS_PER_JOB = 20


def run(*args):
    r = subprocess.run([CLI, *map(str, args)], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    return r


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """About a million tokens of Zipf-distributed words, 40 per line."""
    tmp = tmp_path_factory.mktemp("crash")
    rng = random.Random(7)
    words = [f"w{k}" for k in range(5000)]
    weights = [1 / (k + 1) for k in range(len(words))]
    tokens = rng.choices(words, weights, k=1_000_000)
    (tmp / "corpus.txt").write_text("\n".join(" ".join(tokens[k:k + 40]) for k in range(0, len(tokens), 40)) + "\n")
    run("vocab", "--quiet", "--min-count", 1, "-o", tmp / "vocab.txt", tmp / "corpus.txt")
    return tmp


def kill_repeatedly(args, check, folder, kills=KILLS_PER_JOB, seed=1):
    """Starts `args` again and again, killing each run with SIGKILL after a
    random delay, until `kills` runs died mid-way; calls `check(finished)`
    after every run, and checks that `folder` gathered no temporary files."""
    rng = random.Random(seed)
    started = time.monotonic()
    subprocess.run(args, capture_output=True, check=True)
    full = time.monotonic() - started  # one whole run: kill delays are drawn up to it
    killed = finished = 0
    while killed < kills:
        assert finished < 10 * kills, "the runs finish before the kills land: make the job longer"
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, full))
        p.kill()
        _, err = p.communicate()
        if p.returncode == -9:
            killed += 1
        else:
            assert p.returncode == 0, err.decode()
            finished += 1
        check(p.returncode == 0)
    leftovers = [name for name in os.listdir(folder) if ".tmp." in name]
    assert len(leftovers) <= 1, leftovers


def test_killed_counting_leaves_the_old_or_the_new_matrix(corpus, tmp_path):
    out = tmp_path / "cooc.glc"
    base = [CLI, "cooccur", "--quiet", "--vocab", corpus / "vocab.txt", "--format", "native",
            "--memory-limit", 1, "--threads", 2]
    run(*base[1:], "--window", 3, "-o", tmp_path / "old.glc", corpus / "corpus.txt")
    run(*base[1:], "--window", 10, "-o", tmp_path / "new.glc", corpus / "corpus.txt")
    old, new = (tmp_path / "old.glc").read_bytes(), (tmp_path / "new.glc").read_bytes()
    assert old != new

    def check(finished):
        assert out.read_bytes() in (old, new)
        if finished:
            out.write_bytes(old)

    out.write_bytes(old)
    kill_repeatedly([*map(str, base), "--window", "10", "-o", str(out), str(corpus / "corpus.txt")], check, tmp_path, seed=1)


def test_killed_training_leaves_the_old_or_the_new_model(corpus, tmp_path):
    run("cooccur", "--quiet", "--vocab", corpus / "vocab.txt", "--format", "native", "-o", tmp_path / "c.glc",
        corpus / "corpus.txt")
    base = ["train", "--quiet", "--vocab", corpus / "vocab.txt", "--cooc", tmp_path / "c.glc", "--dim", 64,
            "--epochs", 1, "--threads", 1]
    run(*base, "--seed", 1, "-o", tmp_path / "old.glove")
    run(*base, "--seed", 2, "-o", tmp_path / "new.glove")
    old, new = (tmp_path / "old.glove").read_bytes(), (tmp_path / "new.glove").read_bytes()
    out = tmp_path / "model.glove"

    def check(finished):
        assert out.read_bytes() in (old, new)
        if finished:
            out.write_bytes(old)

    out.write_bytes(old)
    kill_repeatedly([CLI, *map(str, base), "--seed", "2", "-o", str(out)], check, tmp_path, seed=2)


def test_killed_checkpointed_training_resumes_to_the_uninterrupted_model(corpus, tmp_path):
    run("cooccur", "--quiet", "--vocab", corpus / "vocab.txt", "--format", "native", "--window", 2,
        "-o", tmp_path / "c.glc", corpus / "corpus.txt")
    base = ["train", "--quiet", "--vocab", corpus / "vocab.txt", "--cooc", tmp_path / "c.glc", "--dim", 16,
            "--epochs", 5, "--threads", 1, "--objective", "paper"]
    run(*base, "-o", tmp_path / "whole.glove")
    whole = (tmp_path / "whole.glove").read_bytes()
    ckpt, out = tmp_path / "run.ckpt", tmp_path / "model.glove"

    def check(finished):
        if finished:  # every kill before this run left a checkpoint it could resume from
            assert out.read_bytes() == whole
            ckpt.unlink()
            out.unlink()

    args = [CLI, *map(str, base), "--checkpoint", str(ckpt), "-o", str(out)]
    kill_repeatedly(args, check, tmp_path, seed=3)
    subprocess.run(args, check=True, capture_output=True)  # finish the job the last kill interrupted
    assert out.read_bytes() == whole
