#!/usr/bin/env bash
# Fetch and prepare the data sets used by libglove's examples, tests and
# benchmarks. Everything goes under data/ (git-ignored); nothing is committed.
#
# Usage: scripts/fetch_data.sh [gcide|wiki|eval|movielens|all]...   (default: all)
#
#   gcide      data/gcide.txt: GCIDE dictionary (Debian package dict-gcide) as
#              plain text, one paragraph per line (scripts/strip_gcide.py), and
#              data/gcide-entries.txt: the same text, one dictionary entry per line.
#              If apt-get is unavailable, falls back to the wiki target.
#   wiki       data/wiki.txt: gensim's small Wikipedia test dump as plain text
#              (scripts/strip_wiki.py).
#   eval       data/wordsim353.tsv, data/questions-words.txt (from gensim's wheel).
#   movielens  data/ml-100k/ (MovieLens 100k atomic files from recbole 1.2.1's wheel).
#
# Idempotent: whatever already exists in data/ (including downloaded wheels in
# data/wheels/) is reused; outputs are written to a temporary name and renamed,
# so an interrupted run leaves no half-written file behind.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA="$ROOT/data"
WHEELS="$DATA/wheels"
PYTHON=${PYTHON:-python3}

GCIDE_DICT=${GCIDE_DICT:-/usr/share/dictd/gcide.dict.dz}
GCIDE_INDEX=${GCIDE_INDEX:-/usr/share/dictd/gcide.index}
GENSIM_DATA=gensim/test/test_data
WIKI_MEMBER=$GENSIM_DATA/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2
RECBOLE_SPEC=recbole==1.2.1
ML_MEMBER_DIR=recbole/dataset_example/ml-100k

say() { echo "fetch_data: $*"; }
rel() { echo "${1#"$ROOT"/}"; }

# pip_package NAME SPEC: print the path of NAME's wheel (or sdist) in data/wheels,
# downloading SPEC with pip first if there is none yet.
pip_package() {
    local name=$1 spec=$2 version='' found
    [[ $spec == *==* ]] && version=${spec#*==}
    mkdir -p "$WHEELS"
    found=$(ls -1 "$WHEELS/$name-${version}"*.whl "$WHEELS/$name-${version}"*.tar.gz 2>/dev/null | head -n 1 || true)
    if [[ -z $found ]]; then
        say "downloading $spec from PyPI into $(rel "$WHEELS")" >&2
        "$PYTHON" -m pip download --no-deps --disable-pip-version-check --progress-bar off \
            -d "$WHEELS" "$spec" >&2
        found=$(ls -1 "$WHEELS/$name-${version}"*.whl "$WHEELS/$name-${version}"*.tar.gz 2>/dev/null | head -n 1 || true)
        [[ -n $found ]] || { say "pip download of $spec produced no file" >&2; return 1; }
    else
        say "reusing $(rel "$found")" >&2
    fi
    echo "$found"
}

# extract ARCHIVE MEMBER DEST: copy one file out of a wheel (zip) or sdist (tar.gz).
# In an sdist the member sits under a top folder, so it is matched by suffix.
extract() {
    "$PYTHON" - "$1" "$2" "$3" <<'PY'
import os, shutil, sys, tarfile, zipfile
archive, member, dest = sys.argv[1:]
tmp = dest + ".tmp"
if zipfile.is_zipfile(archive):
    with zipfile.ZipFile(archive) as z, z.open(member) as src, open(tmp, "wb") as out:
        shutil.copyfileobj(src, out)
else:
    with tarfile.open(archive) as t:
        names = [n for n in t.getnames() if n == member or n.endswith("/" + member)]
        if not names:
            sys.exit(f"{member} not found in {archive}")
        with t.extractfile(names[0]) as src, open(tmp, "wb") as out:
            shutil.copyfileobj(src, out)
os.replace(tmp, dest)
PY
}

# apt_install PACKAGE...: install with apt-get (via sudo -n when not root).
# Tries without 'apt-get update' first; returns non-zero if apt is unusable.
apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || return 1
        sudo=(sudo -n)
    fi
    local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@")
    "${install[@]}" || { "${sudo[@]}" apt-get update -q && "${install[@]}"; }
}

fetch_wiki() {
    local out="$DATA/wiki.txt"
    if [[ -s $out ]]; then say "reusing $(rel "$out")"; return 0; fi
    local whl bz2="$DATA/enwiki-shortened.xml.bz2"
    whl=$(pip_package gensim gensim)
    if [[ ! -s $bz2 ]]; then
        say "extracting $(basename "$WIKI_MEMBER") -> $(rel "$bz2")"
        extract "$whl" "$WIKI_MEMBER" "$bz2"
    fi
    say "stripping wiki markup -> $(rel "$out")"
    "$PYTHON" "$ROOT/scripts/strip_wiki.py" "$bz2" "$out.tmp"
    mv "$out.tmp" "$out"
    say "wrote $(rel "$out") ($(wc -l <"$out") lines, $(wc -w <"$out") words)"
}

fetch_gcide() {
    local out="$DATA/gcide.txt" entries="$DATA/gcide-entries.txt"
    if [[ -s $out && -s $entries ]]; then say "reusing $(rel "$out") and $(rel "$entries")"; return 0; fi
    if [[ ! -f $GCIDE_DICT || ! -f $GCIDE_INDEX ]]; then
        say "$GCIDE_DICT missing: installing Debian package dict-gcide"
        if ! apt_install dict-gcide; then
            say "apt-get is unavailable: falling back to the Wikipedia sample (data/wiki.txt)"
            fetch_wiki
            return 0
        fi
    else
        say "using $GCIDE_DICT"
    fi
    say "stripping dictd markup -> $(rel "$out"), $(rel "$entries")"
    if [[ ! -s $out ]]; then
        "$PYTHON" "$ROOT/scripts/strip_gcide.py" --dict "$GCIDE_DICT" --index "$GCIDE_INDEX" "$out.tmp"
        mv "$out.tmp" "$out"
    fi
    "$PYTHON" "$ROOT/scripts/strip_gcide.py" --per-entry --dict "$GCIDE_DICT" --index "$GCIDE_INDEX" "$entries.tmp"
    mv "$entries.tmp" "$entries"
    say "wrote $(rel "$out") ($(wc -l <"$out") lines, $(wc -w <"$out") words), $(rel "$entries") ($(wc -l <"$entries") lines)"
}

fetch_eval() {
    local name whl=''
    for name in wordsim353.tsv questions-words.txt; do
        if [[ -s $DATA/$name ]]; then say "reusing data/$name"; continue; fi
        [[ -n $whl ]] || whl=$(pip_package gensim gensim)
        extract "$whl" "$GENSIM_DATA/$name" "$DATA/$name"
        say "wrote data/$name ($(wc -l <"$DATA/$name") lines)"
    done
}

fetch_movielens() {
    local dir="$DATA/ml-100k" whl name
    if [[ -s $dir/ml-100k.inter && -s $dir/ml-100k.item && -s $dir/ml-100k.user ]]; then
        say "reusing $(rel "$dir")/"
        return 0
    fi
    whl=$(pip_package recbole "$RECBOLE_SPEC")
    mkdir -p "$dir"
    for name in $("$PYTHON" - "$whl" "$ML_MEMBER_DIR/" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        if n.startswith(sys.argv[2]) and not n.endswith("/"):
            print(n[len(sys.argv[2]):])
PY
    ); do
        extract "$whl" "$ML_MEMBER_DIR/$name" "$dir/$name"
        say "wrote $(rel "$dir")/$name ($(wc -l <"$dir/$name") lines)"
    done
}

main() {
    [[ $# -gt 0 ]] || set -- all
    mkdir -p "$DATA"
    local target
    for target in "$@"; do
        case $target in
            gcide) fetch_gcide ;;
            wiki) fetch_wiki ;;
            eval) fetch_eval ;;
            movielens) fetch_movielens ;;
            all) fetch_gcide; fetch_wiki; fetch_eval; fetch_movielens ;;
            -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0 ;;
            *) say "unknown target '$target' (expected gcide, wiki, eval, movielens or all)" >&2; return 2 ;;
        esac
    done
}

main "$@"
