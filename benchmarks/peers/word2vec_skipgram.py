"""gensim's word2vec skip-gram on a text file, tokenised like libglove's text
mode (lowercase runs of letters, marks and digits; one line per document).
Writes the vectors in word2vec text format and prints one JSON line with the
training's CPU seconds (user + sys of this process, reading excluded).

    python3 benchmarks/peers/word2vec_skipgram.py --corpus data/gcide-entries.txt --out vectors.txt
"""
import argparse
import json
import os
import re
import time

from gensim.models import Word2Vec

TOKEN = re.compile(r"[^\W_]+")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--dim", type=int, default=50)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.corpus, encoding="utf-8", errors="replace") as f:
        sentences = [tokens for tokens in (TOKEN.findall(line.lower()) for line in f) if tokens]
    before = os.times()
    started = time.time()
    model = Word2Vec(sentences, sg=1, vector_size=args.dim, window=args.window, min_count=args.min_count,
                     epochs=args.epochs, workers=args.threads, seed=args.seed)
    after = os.times()
    model.wv.save_word2vec_format(args.out, binary=False)
    print(json.dumps({"cpu_seconds": after.user - before.user + after.system - before.system,
                      "wall_seconds": time.time() - started, "words": len(model.wv)}))


if __name__ == "__main__":
    main()
