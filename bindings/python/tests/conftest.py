"""Shared fixtures: the min-hash test vectors of Tests/vectors/minhash.tsv."""
import os
import sys

import pytest

# Test the package in this source tree (the wheel is tested by scripts/test_wheel.sh).
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "Tests", "vectors", "minhash.tsv")


def load_vectors(path=VECTORS):
    """Rows of (word bytes, compat, full 65536 seed 0, full 1000003 seed 42, signature k4 seed 7)."""
    rows = []
    with open(path, encoding="ascii") as f:
        for line in f:
            if line.startswith("#"):
                continue
            hexword, compat, full0, full42, sig = line.rstrip("\n").split("\t")
            rows.append((bytes.fromhex(hexword), int(compat), int(full0), int(full42),
                         [int(v) for v in sig.split(",")]))
    return rows


@pytest.fixture(scope="session")
def vectors():
    return load_vectors()
