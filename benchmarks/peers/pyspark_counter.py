"""Pure-PySpark vocabulary and co-occurrence counter, written the way the
reference pipeline counted its Wikipedia dump: tokenise each line with a
regular expression, count in Python dicts inside ``mapPartitions``, merge
with ``reduceByKey``. The baseline glove.spark is measured against
(benchmarks/spark_bench.py).

Same semantics as libglove's defaults where it matters for the work done:
lower-cased runs of letters and digits (``[^\\W_]+``, a close approximation
of libglove's Unicode tokenizer), out-of-vocabulary tokens dropped before
windowing, harmonic weights 1/d, symmetric counts, windows within a line.
To spare the baseline half the shuffle, a pair is kept once, under
(min(i, j), max(i, j)), as glove.spark does; a diagonal pair counts 2/d.

Functions are module level so executors import them (ship this file with
``SparkContext.addPyFile``).
"""
import operator
import re
from collections import Counter

TOKEN = re.compile(r"[^\W_]+")


def _count_words(lines):
    counts = Counter()
    for line in lines:
        counts.update(TOKEN.findall(line.lower()))
    return iter(counts.items())


def build_vocabulary(lines, min_count=5):
    """[(word, count)] with count >= min_count, by count descending then UTF-8 bytes."""
    counted = lines.mapPartitions(_count_words).reduceByKey(operator.add)
    kept = counted.filter(lambda wc: wc[1] >= min_count).collect()
    kept.sort(key=lambda wc: (-wc[1], wc[0].encode("utf-8")))
    return kept


def _count_pairs(lines, index_broadcast, window):
    index = index_broadcast.value
    counts = {}
    get = counts.get
    for line in lines:
        ids = [index[w] for w in TOKEN.findall(line.lower()) if w in index]
        n = len(ids)
        for p in range(n):
            i = ids[p]
            for d in range(1, min(window, n - 1 - p) + 1):
                j = ids[p + d]
                if i < j:
                    key, w = (i, j), 1.0 / d
                elif j < i:
                    key, w = (j, i), 1.0 / d
                else:
                    key, w = (i, i), 2.0 / d
                counts[key] = get(key, 0.0) + w
    return iter(counts.items())


def count_cooccurrences(lines, vocab, window=10, partitions=None):
    """RDD of ((i, j), x) with i <= j: the merged upper triangle."""
    index = lines.context.broadcast({word: i for i, (word, _) in enumerate(vocab)})
    pairs = lines.mapPartitions(lambda part: _count_pairs(part, index, window))
    return pairs.reduceByKey(operator.add, numPartitions=partitions or lines.getNumPartitions())
