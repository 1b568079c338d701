#!/usr/bin/env bash
# Build the one-folder PacketStudio bundle for this platform (see
# docs/packaging.md).
#
#   packaging/build.sh [--python PY] [--dist DIR] [--work DIR]
#
# PY is the Python of an environment where PacketStudio is installed as the
# README says; PyInstaller is installed into it if missing, because it must
# analyse the very packages the app runs with. By default: the active virtual
# environment, else .venv/ in this clone, else python3. The bundle lands in
# DIR/packetstudio (default dist/), PyInstaller's work files in --work
# (default build/pyinstaller).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

python=""
dist="$root/dist"
work="$root/build/pyinstaller"
while [ $# -gt 0 ]; do
  case "$1" in
    --python) python=$2; shift 2 ;;
    --dist) dist=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$python" ]; then
  if [ -n "${VIRTUAL_ENV:-}" ]; then
    python="$VIRTUAL_ENV/bin/python"
  elif [ -x "$root/.venv/bin/python" ]; then
    python="$root/.venv/bin/python"
  else
    python=python3
  fi
fi

if ! "$python" -c "import packetstudio" 2>/dev/null; then
  echo "build.sh: $python cannot import packetstudio; install it first:" >&2
  echo "  python3 -m venv .venv && .venv/bin/pip install -e ." >&2
  exit 1
fi
if ! "$python" -c "import PyInstaller" 2>/dev/null; then
  echo "Installing PyInstaller into $("$python" -c 'import sys; print(sys.prefix)')"
  "$python" -m pip install -q "pyinstaller>=6.22"
fi

started=$SECONDS
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$work" "$root/packaging/packetstudio.spec"

# A Python compiled on this machine (pyenv, for one) keeps its debug
# information: 20-30 MB that no desk needs. Wheels' libraries are left alone,
# since stripping a library that patchelf rewrote can break it.
if command -v strip >/dev/null && command -v readelf >/dev/null; then
  for lib in "$dist"/packetstudio/_internal/libpython3*.so* \
    "$dist"/packetstudio/_internal/python3*/lib-dynload/*.so; do
    if [ -f "$lib" ] && readelf -S "$lib" | grep '\.debug_info' >/dev/null; then
      strip --strip-debug "$lib"
    fi
  done
fi
echo "Built $dist/packetstudio in $((SECONDS - started)) s:" \
  "$(du -sh "$dist/packetstudio" | cut -f1)"
