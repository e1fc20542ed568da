"""glove recommend against the numpy reference's answers in Tests/vectors/bilinear.

Run with GLOVE_CLI set to the binary (make test-cli does this)."""
import os
import subprocess

import pytest

CLI = os.environ.get("GLOVE_CLI", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "glove"))
V = os.path.join(os.path.dirname(__file__), "..", "vectors", "bilinear")


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True)


def fit(path, *extra):
    r = run("recommend", "fit", "--train", f"{V}/train.tsv", "--user-features", f"{V}/users.tsv",
            "--item-features", f"{V}/items.tsv", "-o", str(path), "--quiet", *extra)
    assert r.returncode == 0, r.stderr
    return path


def rows(text):
    return [line.split("\t") for line in text.decode().splitlines()]


@pytest.mark.parametrize("form", ["diagonal", "full"])
def test_closed_form_top_and_metrics_match_the_reference(tmp_path, form):
    model = fit(tmp_path / "m.glbl", "--form", form, "--loss", "squared", "--l2", "0.01")
    r = run("recommend", "top", "--model", str(model), "--user-features", f"{V}/users.tsv",
            "--exclude", f"{V}/train.tsv", "-k", "5")
    assert r.returncode == 0, r.stderr
    got = [(int(u), int(rank), int(item)) for u, rank, item, _ in rows(r.stdout)]
    with open(f"{V}/{form}_top.tsv") as f:
        expected = [tuple(int(v) for v in line.split("\t")) for line in f.read().splitlines()]
    assert got == expected
    # evaluate on the positives (ratings >= 4), written as plain pairs.
    for name in ("train", "test"):
        with open(f"{V}/{name}.tsv") as f, open(tmp_path / f"{name}_pos.tsv", "w") as out:
            for line in f:
                u, i, v = line.split("\t")
                if float(v) >= 4:
                    out.write(f"{u}\t{i}\n")
    r = run("recommend", "evaluate", "--model", str(model), "--user-features", f"{V}/users.tsv",
            "--train", str(tmp_path / "train_pos.tsv"), "--test", str(tmp_path / "test_pos.tsv"), "-k", "5")
    assert r.returncode == 0, r.stderr
    metrics = {key: float(value) for key, value in rows(r.stdout)}
    with open(f"{V}/{form}_metrics.tsv") as f:
        reference = [float(v) for v in f.read().split("\t")]
    for key, value in zip(["precision@5", "recall@5", "ndcg@5", "auc"], reference):
        assert metrics[key] == pytest.approx(value, abs=1e-4)  # printed with 4 decimals


def test_one_thread_is_repeatable_and_cold_start_and_new_items_work(tmp_path):
    a = fit(tmp_path / "a.glbl", "--rank", "4", "--epochs", "5", "--threads", "1")
    b = fit(tmp_path / "b.glbl", "--rank", "4", "--epochs", "5", "--threads", "1")
    assert open(a, "rb").read() == open(b, "rb").read()
    newcomer = tmp_path / "new.tsv"
    newcomer.write_text("0\t0\t0.5\n0\t2\t0.9\n")
    r = run("recommend", "top", "--model", str(a), "--user-features", str(newcomer), "-k", "3")
    assert r.returncode == 0 and len(rows(r.stdout)) == 3 and all(row[0] == "0" for row in rows(r.stdout))
    more = tmp_path / "more.tsv"
    more.write_text("0\t1\t1\n1\t3\t2\n")
    bigger = tmp_path / "bigger.glbl"
    r = run("recommend", "add-items", "--model", str(a), "--item-features", str(more), "-o", str(bigger))
    assert r.returncode == 0, r.stderr
    r = run("recommend", "top", "--model", str(bigger), "--user-features", str(newcomer), "-k", "32")
    assert sorted(int(row[2]) for row in rows(r.stdout)) == list(range(32))


def test_errors_name_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("0\t1\n1\tx\n")
    r = run("recommend", "fit", "--train", str(bad), "--user-features", f"{V}/users.tsv",
            "--item-features", f"{V}/items.tsv", "-o", str(tmp_path / "m.glbl"))
    assert r.returncode != 0 and f"{bad}:2:" in r.stderr.decode()
    assert not (tmp_path / "m.glbl").exists()
    r = run("recommend", "top", "--model", f"{V}/users.tsv", "--user-features", f"{V}/users.tsv")
    assert r.returncode != 0 and "not a libglove bilinear model" in r.stderr.decode()
    r = run("recommend", "fit", "--help")
    assert r.returncode == 0 and b"Examples:" in r.stdout


def test_precision_plot_has_one_point_per_k(tmp_path):
    import xml.etree.ElementTree as ET
    model = fit(tmp_path / "m.glbl", "--rank", "4", "--epochs", "3")
    r = run("plot", "precision", "--model", str(model), "--user-features", f"{V}/users.tsv", "--train", f"{V}/train.tsv",
            "--test", f"{V}/test.tsv", "--max-k", "7", "-o", str(tmp_path / "p.svg"))
    assert r.returncode == 0, r.stderr
    circles = [e for e in ET.parse(tmp_path / "p.svg").getroot().iter() if e.tag.endswith("circle")]
    assert len(circles) == 7
