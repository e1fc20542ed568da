"""Pictures through matplotlib, when it is installed (it is not a dependency).

The same pictures as ``glove plot`` draws as SVG: the loss per epoch, a 2-D
PCA map of words and their neighbours, and a recommender's precision@k.
"""
import numpy as np

from ._validate import integer


def _pyplot():
    try:
        import matplotlib
        matplotlib.use(matplotlib.get_backend() or "Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install matplotlib") from e
    return plt


def _axes(ax):
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(7.2, 4.8))
    return ax


def plot_loss(losses, ax=None, title="Training loss"):
    """Draws the loss per epoch; returns the matplotlib Axes."""
    ax = _axes(ax)
    epochs = np.arange(1, len(losses) + 1)
    ax.plot(epochs, losses, marker="o")
    ax.set(title=title, xlabel="epoch", ylabel="mean loss")
    ax.grid(alpha=0.3)
    return ax


def pca_2d(vectors):
    """The first two principal components of the rows of ``vectors``."""
    centred = np.asarray(vectors, dtype=np.float64)
    centred = centred - centred.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    points = centred @ vt[:2].T
    return np.pad(points, ((0, 0), (0, 2 - points.shape[1])))  # one row (or one dimension) has fewer components


def plot_words(model, words, neighbors=5, ax=None):
    """A 2-D PCA map of ``words`` (highlighted) and their nearest neighbours, each drawn once;
    returns the Axes."""
    words = list(words)
    if not words:
        raise ValueError("give at least one word")
    neighbors = integer("neighbors", neighbors)
    labels, vectors, chosen = [], [], []
    for word in words:
        if word in labels:  # given twice, or already placed as a neighbour
            chosen[labels.index(word)] = True
        else:
            labels.append(word)
            vectors.append(model[word])
            chosen.append(True)
        for other, _ in model.neighbors(word, k=neighbors) if neighbors else []:
            if other not in labels:
                labels.append(other)
                vectors.append(model[other])
                chosen.append(False)
    points = pca_2d(np.array(vectors))
    ax = _axes(ax)
    for (x, y), label, highlighted in zip(points, labels, chosen):
        colour = "tab:red" if highlighted else "tab:blue"
        ax.scatter([x], [y], color=colour, s=40 if highlighted else 16)
        ax.annotate(label, (x, y), xytext=(5, 3), textcoords="offset points", color=colour,
                    fontweight="bold" if highlighted else "normal")
    ax.set(title="Words and their neighbours (PCA)", xlabel="first principal component",
           ylabel="second principal component")
    return ax


def plot_precision(model, user_features, train, test, max_k=20, ax=None):
    """A bilinear model's precision@k for k = 1 ... max_k; returns the Axes."""
    values = [model.evaluate(user_features, train, test, k=k)["precision"] for k in range(1, max_k + 1)]
    ax = _axes(ax)
    ax.plot(np.arange(1, max_k + 1), values, marker="o")
    ax.set(title="Precision at k", xlabel="k", ylabel="precision@k")
    ax.grid(alpha=0.3)
    return ax
