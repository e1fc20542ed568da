"""glove.Bilinear against the numpy reference's answers in Tests/vectors/bilinear."""
import gc
import os

import numpy as np
import pytest
import scipy.sparse as scipy

import glove

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "Tests", "vectors", "bilinear")


def table(name, dtype=float):
    return np.loadtxt(os.path.join(HERE, name), dtype=dtype, ndmin=2)


def dense(name, rows, columns=4):
    out = np.zeros((rows, columns), dtype=np.float32)
    for r, c, v in table(name):
        out[int(r), int(c)] = v
    return out


@pytest.fixture(scope="module")
def case():
    users, items = dense("users.tsv", 24), dense("items.tsv", 30)
    train, test = table("train.tsv"), table("test.tsv")
    return users, items, train, test


def positives(rows):
    kept = rows[rows[:, 2] >= 4]
    return kept[:, 0].astype(int), kept[:, 1].astype(int)


@pytest.mark.parametrize("form", ["diagonal", "full"])
def test_closed_form_matches_the_numpy_reference(case, form):
    users, items, train, test = case
    model = glove.Bilinear(form=form, loss="squared", l2=0.01).fit(
        (train[:, 0], train[:, 1], train[:, 2]), users, items)
    expected = table(f"{form}_scores.tsv")
    got = model.score(users, expected[:, 0], expected[:, 1])
    np.testing.assert_allclose(got, expected[:, 2], atol=1e-3)
    top, scores = model.recommend(users, k=5, exclude=(train[:, 0], train[:, 1]))
    reference = table(f"{form}_top.tsv", dtype=int)
    assert (top[reference[:, 0], reference[:, 1] - 1] == reference[:, 2]).all()
    assert (np.diff(scores, axis=1) <= 0).all()
    metrics = model.evaluate(users, positives(train), positives(test), k=5)
    np.testing.assert_allclose([metrics["precision"], metrics["recall"], metrics["ndcg"], metrics["auc"]],
                               table(f"{form}_metrics.tsv")[0], atol=1e-9)
    # The generic metrics on the model's own score matrix agree, as do latent vectors.
    z, user_bias = model.user_vectors(users)
    y, item_bias = model.item_vectors()
    matrix = z @ y.T + item_bias + user_bias[:, None]
    np.testing.assert_allclose(matrix[expected[:, 0].astype(int), expected[:, 1].astype(int)], got, atol=1e-4)
    assert glove.ranking_metrics(matrix, positives(train), positives(test), k=5)["auc"] == pytest.approx(metrics["auc"])


def test_scipy_sparse_inputs_equal_dense_ones(case):
    users, items, train, _ = case
    a = glove.Bilinear(form="full", loss="squared").fit((train[:, 0], train[:, 1], train[:, 2]), users, items)
    matrix = scipy.coo_matrix((train[:, 2], (train[:, 0], train[:, 1])), shape=(24, 30))
    b = glove.Bilinear(form="full", loss="squared").fit(matrix, scipy.csr_matrix(users), scipy.csr_matrix(items))
    np.testing.assert_array_equal(a.recommend(users, k=5)[0], b.recommend(users, k=5)[0])


def test_warp_is_repeatable_saves_and_serves_cold_start_users(case, tmp_path):
    users, items, train, _ = case
    pairs = (train[:, 0], train[:, 1])
    a = glove.Bilinear(rank=4, epochs=5, threads=1, seed=3).fit(pairs, users, items)
    b = glove.Bilinear(rank=4, epochs=5, threads=1, seed=3).fit(pairs, users, items)
    np.testing.assert_array_equal(a.recommend(users, k=3)[0], b.recommend(users, k=3)[0])
    assert a.loss_history.shape == (5,)
    path = tmp_path / "m.glbl"
    a.save(path)
    loaded = glove.Bilinear.load(path)
    assert (loaded.form, loaded.rank, loaded.n_items, loaded.n_user_features) == ("factorized", 4, 30, 4)
    newcomer = np.array([[0.5, 0, 0.9, 0]], dtype=np.float32)
    top, scores = loaded.recommend(newcomer, k=40)
    assert (top[0, :30] >= 0).all() and (top[0, 30:] == -1).all() and np.isneginf(scores[0, 30:]).all()
    loaded.add_items(items[:2])
    assert loaded.n_items == 32
    np.testing.assert_allclose(loaded.score(newcomer, [0, 0], [30, 31]), loaded.score(newcomer, [0, 0], [0, 1]))


def test_callbacks_stop_training_and_their_exceptions_surface(case):
    users, items, train, _ = case
    pairs = (train[:, 0], train[:, 1])
    seen = []
    model = glove.Bilinear(rank=4, epochs=10, validation_fraction=0.2).fit(
        pairs, users, items, callback=lambda epoch, loss, validation: seen.append(validation) or epoch < 3)
    assert len(seen) == 3 and all(0 <= v <= 1 for v in seen) and model.loss_history.shape == (3,)

    def explode(epoch, loss, validation):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        glove.Bilinear(rank=4, epochs=10).fit(pairs, users, items, callback=explode)


def test_bad_input_raises_and_leaves_the_model_as_it_was(case):
    users, items, train, _ = case
    pairs = (train[:, 0], train[:, 1])
    model = glove.Bilinear(rank=4, epochs=2).fit(pairs, users, items)
    before = model.recommend(users, k=3)[0]
    with pytest.raises(glove.InvalidArgumentError):
        model.fit(([99], [0]), users, items)  # user 99 has no feature row
    np.testing.assert_array_equal(model.recommend(users, k=3)[0], before)
    with pytest.raises(glove.NumericError):
        glove.Features.from_dense(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError):
        glove.Features.from_dense(np.zeros(3))
    with pytest.raises(ValueError):
        model.recommend(users, k=3, exclude=([30], [0]))
    with pytest.raises(glove.InvalidArgumentError):
        model.recommend(np.zeros((2, 5), dtype=np.float32), k=3)  # 5 features, the model has 4
    with pytest.raises(ValueError):
        glove.Bilinear(form="triangular")
    with pytest.raises(ValueError):
        glove.Bilinear().recommend(users)  # not trained
    with pytest.raises(glove.FormatError):
        path = os.path.join(HERE, "users.tsv")
        glove.Bilinear.load(path)
    model.close()
    model.close()
    with pytest.raises(ValueError):
        model.recommend(users)
    features = glove.Features.from_dense(users)
    features.close()
    del features
    gc.collect()


def test_plots_draw_one_point_per_epoch_and_k(case):
    import matplotlib
    matplotlib.use("Agg")
    users, items, train, test = case
    model = glove.Bilinear(rank=4, epochs=4).fit((train[:, 0], train[:, 1]), users, items)
    line = model.plot_loss().get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), model.loss_history)
    line = model.plot_precision(users, positives(train), positives(test), max_k=5).get_lines()[0]
    assert list(line.get_xdata()) == [1, 2, 3, 4, 5]
