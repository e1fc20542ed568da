#!/usr/bin/env bash
# Follows docs/spark.md on a one-machine Spark standalone cluster: starts a
# master and a worker bound to 127.0.0.1, runs the documented count.py (taken
# from the page itself) with spark-submit, shipping libglove.so and the Python
# package with --files/--py-files (nothing of glove is installed for the
# workers), then trains on the Parquet output on the driver as the page shows,
# and checks the matrix against one machine's.
#
# Usage: scripts/spark_cluster_check.sh [CORPUS]   (default: the shared test corpus)
# Needs `make lib`, pyspark and Java. Leaves nothing behind.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
corpus=$(realpath "${1:-Tests/vectors/corpus/basic/corpus.txt}")
spark_home=$(python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR=$work/logs SPARK_WORKER_DIR=$work/worker
export PYSPARK_PYTHON=python3 PYSPARK_DRIVER_PYTHON=python3
unset GLOVE_LIBRARY PYTHONPATH

# The page's count.py: the first python block after "The script `count.py`".
awk '/The script `count.py`/ {found = 1} found && /^```python/ {inside = 1; next}
     inside && /^```/ {exit} inside {print}' docs/spark.md > "$work/count.py"
test -s "$work/count.py"

"$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port 7077 --webui-port 18080 > "$work/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "I have been elected leader" "$work/master.log" && break; sleep 1; done
"$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores 2 --memory 2g --webui-port 18081 spark://127.0.0.1:7077 > "$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "Successfully registered with master" "$work/worker.log" && break; sleep 1; done
grep -q "Successfully registered with master" "$work/worker.log" || { cat "$work/worker.log"; exit 1; }

# "Standalone or any master, nothing installed on the workers"; the driver
# has glove (here through GLOVE_LIBRARY and the zip on its path).
(cd bindings/python && zip -q "$work/glove.zip" glove/*.py glove/py.typed)
cd "$work"  # Spark SQL leaves a spark-warehouse folder in the working directory
GLOVE_LIBRARY=$root/build/lib/libglove.so "$spark_home/bin/spark-submit" --master spark://127.0.0.1:7077 --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 --conf spark.ui.enabled=false \
    --driver-memory 1g --executor-memory 1g \
    --files "$root/build/lib/libglove.so" --py-files "$work/glove.zip" \
    "$work/count.py" "file://$corpus" "file://$work/out" 2> "$work/submit.log" \
    || { grep -E "Error|Exception" "$work/submit.log" | grep -v "^\s*at " | head -30; find "$work/worker" -maxdepth 3; exit 1; }  # with what the executor got

# "Counting, then training on one machine" (getmerge of a local folder is cat).
cat "$work"/out/vocab/part-* > "$work/vocab.txt"
PYTHONPATH=$root/bindings/python GLOVE_LIBRARY=$root/build/lib/libglove.so python3 - "$corpus" 2>> "$work/submit.log" <<'EOF' || { grep -v '^\s*at ' "$work/submit.log" | tail -30; exit 1; }
import sys
import numpy as np
from pyspark.sql import SparkSession
from glove import Cooccurrence, GloVe, Vocabulary, spark as gs

spark = (SparkSession.builder.master("local[2]").config("spark.driver.host", "127.0.0.1")
         .config("spark.ui.enabled", "false").getOrCreate())
vocab = Vocabulary.load("vocab.txt")
cooc = gs.read_parquet(spark, "out/cooc.parquet", vocab=vocab)
model = GloVe(dim=16, objective="paper", x_max=10, threads=2).fit(cooc, vocab=vocab, epochs=3)
model.save("model.glove")
spark.stop()

single_vocab = Vocabulary.build(sys.argv[1], min_count=5, max_size=400_000)
assert vocab.words == single_vocab.words, "vocabulary differs from one machine"
single = Cooccurrence.from_files(sys.argv[1], single_vocab, window=10)
a, b = cooc.to_numpy(), single.to_numpy()
oa, ob = np.lexsort((a[1], a[0])), np.lexsort((b[1], b[0]))
assert np.array_equal(a[0][oa], b[0][ob]) and np.array_equal(a[1][oa], b[1][ob]), "entries differ"
assert np.allclose(a[2][oa], b[2][ob], rtol=1e-9, atol=0), "values differ"
loaded = GloVe.load("model.glove")
word = vocab.words[0]
print(f"cluster job: {len(vocab)} words, {cooc.nnz} entries, the same as one machine; "
      f"model trained; neighbours of {word!r}: {[w for w, _ in loaded.neighbors(word, k=3)]}")
EOF
