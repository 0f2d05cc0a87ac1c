#!/usr/bin/env bash
# Builds OneKvm as self-contained single-file programs and installs them (run as root on the host):
#   $PREFIX/bin/onekvm-probe, $PREFIX/bin/onekvm-driver     (PREFIX=/usr/local)
#   $SYSTEMD_DIR/onekvm-*.service when packaging/systemd exists (SYSTEMD_DIR=/etc/systemd/system)
#   /etc/one/onekvm.json if absent (CONFIG_DIR=/etc/one)
#   on the front-end, with REMOTES_DIR=/var/lib/one/remotes/vmm/kvm: the KVM action files calling
#   $PREFIX/bin/onekvm-driver (upstream's scripts kept in REMOTES_DIR/.upstream); then 'onehost sync --force'
# Nothing is started. Re-running replaces the programs atomically and keeps the configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
SYSTEMD_DIR=${SYSTEMD_DIR:-/etc/systemd/system}
CONFIG_DIR=${CONFIG_DIR:-/etc/one}
RID=${RID:-linux-x64}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for project in Collector Driver; do
  dotnet publish "src/$project" -c Release -r "$RID" --self-contained true -nologo -v quiet \
    -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:DebugType=none \
    -o "$out/$project"
done

install -d "$PREFIX/bin"
for program in Collector/onekvm-probe Driver/onekvm-driver; do
  name=$(basename "$program")
  install -m 0755 "$out/$program" "$PREFIX/bin/.$name.new"
  mv -f "$PREFIX/bin/.$name.new" "$PREFIX/bin/$name"
done

if [[ -d packaging/systemd ]]; then
  install -d "$SYSTEMD_DIR"
  for unit in packaging/systemd/*.service; do
    sed "s|/usr/local/bin|$PREFIX/bin|g" "$unit" > "$SYSTEMD_DIR/$(basename "$unit")"
  done
fi

install -d "$CONFIG_DIR"
if [[ ! -e $CONFIG_DIR/onekvm.json ]]; then
  cat > "$CONFIG_DIR/onekvm.json" <<'JSON'
{
  "Libvirt": { "TimeoutSeconds": 20 },
  "Serve": { "Listen": "0.0.0.0:9926" }
}
JSON
fi
if [[ -n ${REMOTES_DIR:-} ]]; then
  "$PREFIX/bin/onekvm-driver" remotes --driver "$PREFIX/bin/onekvm-driver" "$REMOTES_DIR"
fi
echo "installed: $PREFIX/bin/onekvm-probe, $PREFIX/bin/onekvm-driver ($("$PREFIX/bin/onekvm-probe" --version))"
