"""GloVe training, files and queries; neighbours checked against a numpy brute force."""
import os
import struct

import numpy as np
import pytest

import glove

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "Tests", "vectors", "corpus", "basic", "corpus.txt")


@pytest.fixture(scope="module")
def data():
    vocab = glove.Vocabulary.build(CORPUS, min_count=2)
    return vocab, glove.Cooccurrence.from_files(CORPUS, vocab, window=10)


@pytest.fixture(scope="module")
def model(data):
    return glove.GloVe(dim=16, threads=1, seed=3, batch_size=256).fit(data[1], epochs=6, progress=False)


def test_one_thread_and_a_seed_are_bit_identical(data, model):
    again = glove.GloVe(dim=16, threads=1, seed=3, batch_size=256).fit(data[1], epochs=6, progress=False)
    assert np.array_equal(again.embeddings, model.embeddings)
    other = glove.GloVe(dim=16, threads=1, seed=4, batch_size=256).fit(data[1], epochs=6, progress=False)
    assert not np.array_equal(other.embeddings, model.embeddings)


def test_threads_sharing_large_batches_repeat_and_take_one_threads_steps(data):
    # Batches of 8,192 entries or more are trained by all the threads together:
    # a thread count repeats to the bit, and with the whole epoch in one batch
    # every thread count takes the same steps (its sums only added in another order).
    assert (data[1].nnz + data[1].dimension) // 2 <= 8192  # seed trains each unordered pair once

    def fit(threads):
        return glove.GloVe(dim=16, threads=threads, seed=3, batch_size=8192, optimizer="sgd",
                           learning_rate=0.05).fit(data[1], epochs=4, progress=False)

    one, two, three = fit(1), fit(2), fit(3)
    assert np.array_equal(fit(2).embeddings, two.embeddings)
    assert one.loss_history[-1] < one.loss_history[0]
    np.testing.assert_allclose(two.embeddings, one.embeddings, rtol=0, atol=1e-5)
    np.testing.assert_allclose(three.embeddings, one.embeddings, rtol=0, atol=1e-5)
    np.testing.assert_allclose(three.biases, one.biases, rtol=0, atol=1e-5)


def test_loss_decreases_for_each_objective_and_optimizer(data):
    for objective, optimizer in (("seed", "adam"), ("paper", "adagrad"), ("paper", "sgd"), ("seed", "adagrad")):
        m = glove.GloVe(dim=8, objective=objective, optimizer=optimizer, threads=1,
                        learning_rate=0.005 if optimizer == "sgd" else None).fit(data[1], epochs=4, progress=False)
        history = m.loss_history
        assert len(history) == 4 and history[-1] < history[0], (objective, optimizer, history)


@pytest.mark.parametrize("similarity", ["dot", "cosine"])
def test_neighbors_match_numpy_brute_force(model, similarity):
    e = model.embeddings.astype(np.float64)
    table = e / np.linalg.norm(e, axis=1, keepdims=True) if similarity == "cosine" else e
    words = model.words
    for word in ["the", "of", "democracy", "w7"]:
        i = words.index(word)
        scores = table @ table[i]
        scores[i] = -np.inf
        order = np.lexsort((np.arange(len(scores)), -scores))[:10]
        got = model.neighbors(word, k=10, similarity=similarity)
        assert [w for w, _ in got] == [words[j] for j in order]
        assert np.allclose([s for _, s in got], scores[order], atol=1e-5)
    ids, scores = model.neighbors_batch(model.embeddings[:5], k=3, similarity=similarity)
    assert ids.shape == (5, 3)
    brute = (model.embeddings[:5].astype(np.float64) @ (table if similarity == "dot" else table).T)
    if similarity == "cosine":
        brute = (e[:5] / np.linalg.norm(e[:5], axis=1, keepdims=True)) @ table.T
    assert np.array_equal(ids, np.argsort(-brute, axis=1, kind="stable")[:, :3])


def test_eight_threads_querying_one_model_get_the_single_threaded_answers(model):
    from concurrent.futures import ThreadPoolExecutor
    queries = np.ascontiguousarray(model.embeddings)
    words = model.words[:50]

    def ask(_):
        return ([model.neighbors_batch(queries, k=5, similarity=s) for s in ("dot", "cosine")],
                [model.neighbors(w, k=5) for w in words], model.analogy("the", "of", "and", k=3))

    alone = ask(None)
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(ask, range(16)))
    for batches, lists, analogy in together:
        assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) for a, b in zip(batches, alone[0]))
        assert lists == alone[1] and analogy == alone[2]


def test_analogy_excludes_the_question_words(model):
    answers = model.analogy("the", "of", "and", k=5)
    assert len(answers) == 5 and not {"the", "of", "and"} & {w for w, _ in answers}
    assert len(model.analogy("the", "of", "and", k=2, method="mul")) == 2


def test_files_round_trip(tmp_path, model):
    model.save(tmp_path / "m.glove")
    back = glove.GloVe.load(tmp_path / "m.glove")
    assert np.array_equal(back.embeddings, model.embeddings) and back.words == model.words
    assert back.loss_history == model.loss_history
    model.export(tmp_path / "v.txt")
    imported = glove.GloVe.import_text(tmp_path / "v.txt")
    assert np.allclose(imported.embeddings, model.embeddings, atol=1e-6)
    model.export(tmp_path / "v.bin", format="word2vec-bin")
    data = (tmp_path / "v.bin").read_bytes()
    header, rest = data.split(b"\n", 1)
    assert header == f"{len(model.words)} {model.dim}".encode()
    word, rest = rest.split(b" ", 1)
    assert word.decode() == model.words[0]
    assert np.allclose(struct.unpack(f"<{model.dim}f", rest[:4 * model.dim]), model.embeddings[0])
    try:
        from gensim.models import KeyedVectors
    except ImportError:
        return
    kv = KeyedVectors.load_word2vec_format(str(tmp_path / "v.txt"), binary=False, no_header=True)
    assert np.allclose(kv[model.words[3]], model.embeddings[3], atol=1e-6)


def test_callbacks_stop_and_exceptions_propagate(data):
    seen = []
    m = glove.GloVe(dim=8, threads=1).fit(data[1], epochs=10, callback=lambda e, loss: len(seen.append(e) or seen) < 3,
                                            progress=False)
    assert len(m.loss_history) == 3 and seen == [1, 2, 3]
    model = glove.GloVe(dim=8, threads=1)

    def interrupt(epoch, loss):
        if epoch == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model.fit(data[1], epochs=10, callback=interrupt, progress=False)
    assert len(model.loss_history) == 2  # the model keeps the epochs done


def test_checkpoints_resume_to_the_uninterrupted_model(tmp_path, data):
    whole = glove.GloVe(dim=8, objective="paper", threads=1).fit(data[1], epochs=5, progress=False)
    path = tmp_path / "run.ckpt"
    with pytest.raises(RuntimeError, match="stop here"):
        def interrupt(epoch, loss):
            if epoch == 3:
                raise RuntimeError("stop here")
        glove.GloVe(dim=8, objective="paper", threads=1).fit(data[1], epochs=5, progress=False, callback=interrupt,
                                                            checkpoint=path, checkpoint_every=2)
    resumed = glove.GloVe(dim=8, objective="paper", threads=1).fit(data[1], epochs=5, progress=False, checkpoint=path)
    assert len(resumed.loss_history) == 5 and resumed.loss_history[:3] == whole.loss_history[:3]
    assert np.array_equal(resumed.embeddings, whole.embeddings)
    with pytest.raises(glove.InvalidArgumentError, match="dimension"):
        glove.GloVe(dim=9, objective="paper", threads=1).fit(data[1], epochs=5, progress=False, checkpoint=path)
    with pytest.raises(ValueError, match="checkpoint_every"):
        glove.GloVe(dim=8).fit(data[1], progress=False, checkpoint=path, checkpoint_every=0)


def test_lookup_and_errors(tmp_path, data, model):
    assert model["the"].shape == (16,) and "the" in model and "zzzz" not in model
    with pytest.raises(KeyError):
        model["zzzz"]
    with pytest.raises(ValueError):
        glove.GloVe(objective="nope")
    with pytest.raises(glove.InvalidArgumentError, match="dim must be in 1...4096"):
        glove.GloVe(dim=0).fit(data[1], epochs=1, progress=False)
    with pytest.raises(ValueError, match="shape"):
        model.neighbors_batch(np.zeros((2, 3)))
    with pytest.raises(glove.NumericError):
        model.neighbors_batch(np.full((1, 16), np.nan))
    (tmp_path / "bad.glove").write_bytes(b"GLOVEMDL" + b"\x01" * 100)
    with pytest.raises(glove.FormatError):
        glove.GloVe.load(tmp_path / "bad.glove")
    with pytest.raises(glove.GloveIOError):
        glove.GloVe.load(tmp_path / "missing.glove")
    m = glove.GloVe(dim=4, threads=1).fit(data[1], epochs=1, progress=False)
    m.close()
    m.close()
    with pytest.raises(ValueError, match="closed"):
        m.embeddings


def test_evaluation_files(tmp_path, model):
    (tmp_path / "pairs.tsv").write_text("# header\nthe of 5\nthe and 4\nof and 1\nthe qqq 3\n")
    rho, covered, total = model.evaluate_similarity(tmp_path / "pairs.tsv")
    assert covered == 3 and total == 4 and -1 <= rho <= 1
    (tmp_path / "q.txt").write_text(": s\nthe of and in\nthe of qqq in\n")
    accuracy, covered, total = model.evaluate_analogies(tmp_path / "q.txt")
    assert (covered, total) == (1, 2) and accuracy in (0.0, 1.0)
    expected = 1.0 if model.analogy("the", "of", "and")[0][0] == "in" else 0.0
    assert accuracy == expected


def test_plots(model):
    import matplotlib
    matplotlib.use("Agg")
    np.testing.assert_allclose(model.plot_loss().get_lines()[0].get_ydata(), model.loss_history)
    ax = model.plot_words(["the", "of"], neighbors=3)
    labels = {t.get_text() for t in ax.texts}
    assert {"the", "of"} <= labels and len(labels) <= 8
    points = np.array([c.get_offsets()[0] for c in ax.collections])
    # PCA coordinates are centred.
    assert abs(points.mean(axis=0)).max() < 1e-6 * max(1.0, abs(points).max()) + 1e-5
    # Each word once, as the CLI draws it: a word given twice, or also a neighbour of another.
    neighbour = model.neighbors("the", k=1)[0][0]
    texts = [t.get_text() for t in model.plot_words(["the", neighbour, "the"], neighbors=2).texts]
    assert len(texts) == len(set(texts)) and {"the", neighbour} <= set(texts)
    assert [t.get_text() for t in model.plot_words(["the"], neighbors=0).texts] == ["the"]
    with pytest.raises(ValueError, match="at least one word"):
        model.plot_words([])


@pytest.mark.parametrize("objective", ["seed", "paper"])
def test_fit_file_streams_bit_identically_and_fits_like_fit(tmp_path, data, objective):
    vocab, cooc = data
    cooc.save(tmp_path / "m.glc", format="native")
    cooc.save(tmp_path / "m.bin", format="stanford")
    settings = dict(dim=12, objective=objective, threads=1, batch_size=128 if objective == "seed" else None)
    held = glove.GloVe(**settings).fit(cooc, epochs=4, progress=False)
    native = glove.GloVe(**settings).fit_file(tmp_path / "m.glc", vocab, epochs=4, progress=False)
    again = glove.GloVe(**settings).fit_file(str(tmp_path / "m.glc"), vocab, epochs=4, progress=False,
                                             memory_limit=1 << 20, temp_dir=tmp_path)
    stanford = glove.GloVe(**settings).fit_file(tmp_path / "m.bin", vocab, format="stanford", epochs=4, progress=False)
    assert np.array_equal(native.embeddings, again.embeddings)
    # A Stanford file lists the entries in the order the native file expands them: same entries, same shuffle.
    assert np.array_equal(native.embeddings, stanford.embeddings)
    streamed, in_memory = native.loss_history, held.loss_history
    assert len(streamed) == 4 and streamed[-1] < streamed[0]
    assert abs(streamed[-1] - in_memory[-1]) < 0.25 * in_memory[-1]
    assert not np.array_equal(native.embeddings, held.embeddings)  # another order of the entries


def test_fit_file_resumes_and_refuses_bad_input(tmp_path, data):
    vocab, cooc = data
    path = tmp_path / "m.glc"
    cooc.save(path, format="native")
    whole = glove.GloVe(dim=8, objective="paper", threads=1).fit_file(path, vocab, epochs=5, progress=False)
    ckpt = tmp_path / "run.ckpt"
    glove.GloVe(dim=8, objective="paper", threads=1).fit_file(path, vocab, epochs=5, progress=False, checkpoint=ckpt,
                                                              callback=lambda epoch, loss: epoch < 2)
    resumed = glove.GloVe(dim=8, objective="paper", threads=1).fit_file(path, vocab, epochs=5, progress=False,
                                                                        checkpoint=ckpt)
    assert resumed.loss_history == whole.loss_history
    assert np.array_equal(resumed.embeddings, whole.embeddings)
    with pytest.raises(ValueError, match="format"):
        glove.GloVe().fit_file(path, vocab, format="csv", progress=False)
    with pytest.raises(glove.InvalidArgumentError, match="memory_limit"):
        glove.GloVe().fit_file(path, vocab, memory_limit=1000, progress=False)
    with pytest.raises(glove.GloveIOError):
        glove.GloVe().fit_file(path, vocab, temp_dir=tmp_path / "missing", progress=False)
    damaged = bytearray(path.read_bytes())
    damaged[40] ^= 1
    (tmp_path / "bad.glc").write_bytes(bytes(damaged))
    model = glove.GloVe(dim=8, threads=1).fit_file(path, vocab, epochs=1, progress=False)
    before = model.embeddings.copy()
    with pytest.raises(glove.FormatError, match="checksum"):
        model.fit_file(tmp_path / "bad.glc", vocab, epochs=1, progress=False)
    assert np.array_equal(model.embeddings, before)  # a failed fit keeps the previous model


def test_spelling_aware_vectors_give_unseen_words_the_sum_of_their_bucket_rows(tmp_path, data):
    vocab, cooc = data
    settings = dict(dim=12, objective="paper", threads=1, subword_hashes=2, subword_buckets=64)
    model = glove.GloVe(**settings).fit(cooc, epochs=4, progress=False)
    again = glove.GloVe(**settings).fit(cooc, epochs=4, progress=False)
    assert np.array_equal(model.embeddings, again.embeddings)
    words = len(vocab)
    assert model.embeddings.shape == (words + 64, 12)
    minima = glove.MinHash(scheme="full", buckets=64, seed=0, hashes=2).signature("unseenword")
    vector, known = model.vector("unseenword")
    expected = np.zeros(12, dtype=np.float32)
    for m in minima:
        expected += model.embeddings[words + int(m) % 64]
    assert not known and np.array_equal(vector, expected)
    assert len(model.neighbors("unseenword", k=3)) == 3
    model.save(tmp_path / "s.glove")
    assert np.array_equal(glove.GloVe.load(tmp_path / "s.glove")["unseenword"], vector)
    with pytest.raises(glove.InvalidArgumentError, match="subword_hashes"):
        glove.GloVe(subword_hashes=17).fit(cooc, epochs=1, progress=False)
