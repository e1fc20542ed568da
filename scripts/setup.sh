#!/usr/bin/env bash
# Installs what the build, the tests and the demo need and are missing on a
# fresh Debian machine with the Swift toolchain. Idempotent and quick when
# everything is there already.
set -euo pipefail
missing_debs=()
command -v pkg-config >/dev/null || missing_debs+=(pkg-config)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing_debs+=(python3-venv)
command -v java >/dev/null || missing_debs+=(default-jre-headless)  # for pyspark (make test-spark)
if [ ${#missing_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
  echo "setup: installing ${missing_debs[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
fi
missing_py=()
for module in numpy scipy matplotlib pytest mmh3 pyspark; do
  python3 -c "import $module" 2>/dev/null || missing_py+=("$module")
done
if [ ${#missing_py[@]} -gt 0 ]; then
  echo "setup: installing ${missing_py[*]} with pip"
  python3 -m pip install -q --disable-pip-version-check "${missing_py[@]}"
fi
