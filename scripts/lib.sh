# Shared helpers for scripts/*. Source it: . "$(dirname "$0")/lib.sh"
set -euo pipefail
FLEXCORE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export FLEXCORE_ROOT
# em++ 3.1.6 needs Debian's acorn (toolchain.md pitfall 1).
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
# Parallel jobs: the machine's cores (2 here).
FLEXCORE_JOBS="${FLEXCORE_JOBS:-$(nproc)}"

log() { printf '\033[1m[flexcore]\033[0m %s\n' "$*" >&2; }
die() { printf '[flexcore] error: %s\n' "$*" >&2; exit 1; }

# as_root CMD...: run as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

# cmake_build PRESET: configure (once) and build a CMakePresets.json preset.
cmake_build() {
  local preset="$1"
  if [ ! -f "$FLEXCORE_ROOT/build/$preset/build.ninja" ]; then
    (cd "$FLEXCORE_ROOT" && cmake --preset "$preset" >/dev/null)
  fi
  (cd "$FLEXCORE_ROOT" && cmake --build --preset "$preset" -j "$FLEXCORE_JOBS")
}

# npm_ci DIR: install a package's locked dependencies when node_modules is missing or older than the lock.
npm_ci() {
  local dir="$FLEXCORE_ROOT/$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci in $1"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
