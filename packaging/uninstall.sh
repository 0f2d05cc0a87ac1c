#!/usr/bin/env bash
# Removes what install.sh installed (the list in $PREFIX/share/onekvm/installed-files), after
# stopping and disabling the units. Keeps /etc/one/onekvm.json and the state in /var/tmp/one_db
# unless --purge. Same PREFIX / SYSTEMD_DIR / CONFIG_DIR / DESTDIR as install.sh.
set -euo pipefail
PREFIX=${PREFIX:-/usr/local}
CONFIG_DIR=${CONFIG_DIR:-/etc/one}
DESTDIR=${DESTDIR:-}
purge=0
[[ ${1:-} == --purge ]] && purge=1
manifest=$DESTDIR$PREFIX/share/onekvm/installed-files
[[ -f $manifest ]] || { echo "uninstall.sh: $manifest not found: nothing installed under PREFIX=$PREFIX" >&2; exit 1; }

if [[ -z $DESTDIR ]] && command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  for unit in onekvm-serve.service onekvm-agent.service; do
    systemctl disable --now "$unit" >/dev/null 2>&1 || true
  done
fi
while IFS= read -r file; do
  rm -f "$DESTDIR$file"
done < "$manifest"
rmdir "$DESTDIR$PREFIX/share/onekvm" 2>/dev/null || true
if ((purge)); then
  rm -f "$DESTDIR$CONFIG_DIR/onekvm.json"
  [[ -z $DESTDIR ]] && rm -rf /var/tmp/one_db/onekvm
fi
if [[ -z $DESTDIR ]] && command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then systemctl daemon-reload; fi
echo "uninstalled OneKvm from $PREFIX$( ((purge)) && echo ' (configuration and state purged)')"
