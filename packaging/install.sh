#!/usr/bin/env bash
# Installs an unpacked OneKvm release (run from the release directory, as root). Needs neither the
# .NET SDK nor the runtime: the programs are self-contained.
#   $PREFIX/bin/onekvm-probe, $PREFIX/bin/onekvm-driver          (PREFIX=/usr/local)
#   $SYSTEMD_DIR/onekvm-serve.service, onekvm-agent.service       (SYSTEMD_DIR=/etc/systemd/system;
#                                                                 ExecStart points at $PREFIX/bin)
#   $CONFIG_DIR/onekvm.json when absent                           (CONFIG_DIR=/etc/one)
#   $PREFIX/share/onekvm/installed-files                          (what uninstall.sh removes)
# DESTDIR=DIR installs below DIR, with the paths inside the files as on the target host.
# Nothing is started; re-running replaces the programs atomically and keeps the configuration.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-/usr/local}
SYSTEMD_DIR=${SYSTEMD_DIR:-/etc/systemd/system}
CONFIG_DIR=${CONFIG_DIR:-/etc/one}
DESTDIR=${DESTDIR:-}
manifest_dir=$PREFIX/share/onekvm
installed=()

install -d "$DESTDIR$PREFIX/bin" "$DESTDIR$SYSTEMD_DIR" "$DESTDIR$CONFIG_DIR" "$DESTDIR$manifest_dir"
for program in onekvm-probe onekvm-driver; do
  install -m 0755 "$here/bin/$program" "$DESTDIR$PREFIX/bin/.$program.new"
  mv -f "$DESTDIR$PREFIX/bin/.$program.new" "$DESTDIR$PREFIX/bin/$program"
  installed+=("$PREFIX/bin/$program")
done
for unit in "$here"/systemd/*.service; do
  target=$SYSTEMD_DIR/$(basename "$unit")
  sed "s|/usr/local/bin/onekvm-probe|$PREFIX/bin/onekvm-probe|g" "$unit" > "$DESTDIR$target.new"
  chmod 0644 "$DESTDIR$target.new"
  mv -f "$DESTDIR$target.new" "$DESTDIR$target"
  installed+=("$target")
done
if [[ ! -e $DESTDIR$CONFIG_DIR/onekvm.json ]]; then
  install -m 0644 "$here/etc/onekvm.json" "$DESTDIR$CONFIG_DIR/onekvm.json"
fi
install -m 0755 "$here/uninstall.sh" "$DESTDIR$manifest_dir/uninstall.sh"
installed+=("$manifest_dir/uninstall.sh" "$manifest_dir/installed-files")
printf '%s\n' "${installed[@]}" > "$DESTDIR$manifest_dir/installed-files"

# The state directory the units may write (ReadWritePaths); oneadmin owns it on OpenNebula hosts.
if [[ -z $DESTDIR ]]; then
  install -d -m 0750 /var/tmp/one_db/onekvm
  if id oneadmin >/dev/null 2>&1; then chown oneadmin:oneadmin /var/tmp/one_db /var/tmp/one_db/onekvm; fi
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then systemctl daemon-reload; fi
fi
echo "installed: $PREFIX/bin/onekvm-probe, $PREFIX/bin/onekvm-driver ($("$DESTDIR$PREFIX/bin/onekvm-probe" --version)); units in $SYSTEMD_DIR"
echo "uninstall: $manifest_dir/uninstall.sh"
