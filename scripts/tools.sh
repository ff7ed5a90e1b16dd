#!/usr/bin/env bash
# Command-line tools the checks need, built from the Go module proxy (one module each under
# scripts/tools/<tool>/, pinned in its go.mod) into .local/bin/, and rebuilt only when that
# module or the Go release changes.
#
#   scripts/tools.sh build helm promtool dockerfile-lint    build what is missing or stale
#   scripts/tools.sh path helm              print the binary's path (building it first)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${LOCALSTORE_LOCAL_DIR:-$ROOT/.local}"
BIN="$LOCAL/bin"

log() { printf '[tools] %s\n' "$*" >&2; }

# Each tool's upstream module and the package of its main.
upstream() {
  case "$1" in
    helm) echo "helm.sh/helm/v3 helm.sh/helm/v3/cmd/helm" ;;
    promtool) echo "github.com/prometheus/prometheus github.com/prometheus/prometheus/cmd/promtool" ;;
    # Our own main.go around BuildKit's Dockerfile linter.
    dockerfile-lint) echo "github.com/moby/buildkit ." ;;
    *) log "unknown tool $1 (helm, promtool, dockerfile-lint)"; return 2 ;;
  esac
}

build_one() {
  local tool=$1 module="$ROOT/scripts/tools/$1" upstream_module package hash stamp started version
  read -r upstream_module package <<<"$(upstream "$tool")"
  # go.mod asks for Go 1.26; an older local Go fetches that toolchain from the module proxy.
  export GOTOOLCHAIN="${GOTOOLCHAIN_OVERRIDE:-auto}"
  version=$(awk -v m="$upstream_module" '$1 == m { print $2 }' "$module/go.mod")
  local ldflags="-s -w" tags=""
  # What `helm version` / `promtool --version` print; without it they say "unknown".
  case "$tool" in
    helm) ldflags+=" -X helm.sh/helm/v3/internal/version.version=$version -X helm.sh/helm/v3/internal/version.gitTreeState=clean" ;;
    # The module's v0.316.0 is Prometheus 3.16.0. Rules need no service discovery: leaving
    # every SD plugin out (Prometheus' own build tag) halves the build.
    promtool) local minor=${version#v0.}; minor=${minor%%.*}
      ldflags+=" -X github.com/prometheus/common/version.Version=$((minor / 100)).$((minor % 100)).${version##*.}"
      tags="remove_all_sd" ;;
  esac
  # The cache key: the module's files, the Go release and how it is built.
  hash=$( (cd "$module" && cat go.mod go.sum ./*.go 2>/dev/null; go env GOVERSION; echo "$ldflags $tags") | sha256sum | cut -c1-16)
  stamp="$BIN/.$tool.stamp"
  if [ -x "$BIN/$tool" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then return 0; fi
  mkdir -p "$BIN"
  # One build at a time per tool (CI starts them early in the background): wait for a
  # build in progress, then take its result if it is the one wanted.
  exec {lock}>"$BIN/.$tool.lock"
  flock "$lock"
  if [ -x "$BIN/$tool" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then flock -u "$lock"; return 0; fi
  log "building $tool $version from the Go module proxy (once)"
  started=$(date +%s)
  (cd "$module" && CGO_ENABLED=0 go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$BIN/$tool.tmp" "$package")
  mv -f "$BIN/$tool.tmp" "$BIN/$tool"
  echo "$hash" >"$stamp"
  flock -u "$lock"
  log "$tool built in $(($(date +%s) - started))s"
}

case "${1:-}" in
  build) shift; for tool in "$@"; do build_one "$tool"; done ;;
  path) build_one "$2"; echo "$BIN/$2" ;;
  *) echo "usage: $0 build <tool>… | path <tool>" >&2; exit 2 ;;
esac
