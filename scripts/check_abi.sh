#!/usr/bin/env bash
# ABI checks on a release build (make lib): libglove.so is self-contained,
# exports exactly the functions of glove.h, and glove.h agrees with the
# declarations swiftc derives from the @_cdecl functions.
#
# Usage: scripts/check_abi.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
lib="$build/lib/libglove.so"
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi; }

no_swift_runtime() {
  if ldd "$lib" | grep -E 'libswift|libdispatch|libFoundation|lib_FoundationICU|libBlocksRuntime'; then
    echo "check_abi: $lib depends on the Swift runtime (above)"; return 1
  fi
  echo "check_abi: ldd shows no Swift runtime libraries"
}

only_glove_symbols() {
  # Global and weak defined dynamic symbols (local ones are not visible to
  # other objects; the linker keeps two local type-metadata entries there).
  readelf --dyn-syms -W "$lib" | awk '$5 != "LOCAL" && $7 != "UND" && $7 != "ABS" && NR > 3 {print $8}' \
    | sed 's/@.*//' | sort > "$tmp/exported"
  nm -D --defined-only "$lib" | awk '$2 ~ /^[A-Z]$/ && $2 != "A" {print $3}' | sed 's/@.*//' | sort > "$tmp/nm"
  diff -u "$tmp/exported" "$tmp/nm" || { echo "check_abi: readelf and nm disagree"; return 1; }
  if grep -v '^glove_' "$tmp/exported"; then echo "check_abi: symbols above are not glove_*"; return 1; fi
  echo "check_abi: $(wc -l < "$tmp/exported") exported symbols, all glove_*"
}

header_matches() {
  swiftc -typecheck -emit-clang-header-path "$tmp/emitted.h" -module-name GloVeCABI \
    -I "$top/include" -I "$top/.build-release/release/Modules" "$top"/Sources/GloVeCABI/*.swift
  python3 "$top/scripts/check_header.py" "$top/include/glove.h" "$tmp/emitted.h" "$tmp/exported"
}

c_test_calls_everything() {
  # The C test must call every declared function, so a declared-but-missing
  # symbol fails to link there.
  local missing=0
  for f in $(cat "$tmp/exported"); do
    grep -q "\b$f\b" "$top"/Tests/c/*.c || { echo "check_abi: the C tests (Tests/c/*.c) never call $f"; missing=1; }
  done
  [ "$missing" -eq 0 ] && echo "check_abi: the C test calls all $(wc -l < "$tmp/exported") functions"
}

header_compiles() {
  printf '#include <glove.h>\nint main(void) { return glove_version_number() > 0 ? 0 : 1; }\n' > "$tmp/h.c"
  gcc -std=c99 -Wall -Wextra -Werror -pedantic -I "$top/include" -c "$tmp/h.c" -o "$tmp/h.o" &&
  cp "$tmp/h.c" "$tmp/h.cpp" && g++ -std=c++11 -Wall -Wextra -Werror -pedantic -I "$top/include" -c "$tmp/h.cpp" -o "$tmp/hpp.o" &&
  echo "check_abi: glove.h compiles as C99 and C++11 with -Wall -Wextra -Werror -pedantic"
}

check no_swift_runtime
check only_glove_symbols
check header_matches
# The x86-64-v3 build (glibc-hwcaps), when there is one, must be self-contained
# and export exactly the same functions.
v3="$build/lib/glibc-hwcaps/x86-64-v3/libglove.so"
if [ -e "$v3" ]; then
  cp "$tmp/exported" "$tmp/exported-baseline"
  lib=$v3
  check no_swift_runtime
  check only_glove_symbols
  check diff -u "$tmp/exported-baseline" "$tmp/exported"
  lib="$build/lib/libglove.so"
fi
check c_test_calls_everything
check header_compiles
echo "abi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
