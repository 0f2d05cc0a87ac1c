#!/usr/bin/env bash
# Installs OneKvm on this host (as root) from the release artefact:
#   bash scripts/install.sh onekvm-0.1.0-linux-x64.tar.gz   no .NET SDK or runtime needed
#   bash scripts/install.sh                                   in a clone with the .NET SDK: builds the
#                                                             artefact with scripts/publish.sh first
# PREFIX, SYSTEMD_DIR, CONFIG_DIR and DESTDIR are passed on to the artefact's install.sh (see there).
# Uninstall: $PREFIX/share/onekvm/uninstall.sh [--purge].
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=${1:-}
if [[ -z $tarball ]]; then
  command -v dotnet >/dev/null || { echo "install.sh: give a release tarball (no dotnet here to build one)" >&2; exit 2; }
  bash "$repo/scripts/publish.sh" --output "$work/dist" >&2
  tarball=$(ls "$work"/dist/onekvm-*.tar.gz)
fi
[[ -f $tarball ]] || { echo "install.sh: $tarball: no such release tarball" >&2; exit 2; }
tar -C "$work" -xzf "$tarball"
release=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'onekvm-*' | head -1)
[[ -x $release/install.sh ]] || { echo "install.sh: $tarball is not a OneKvm release (no install.sh inside)" >&2; exit 2; }
bash "$release/install.sh"
