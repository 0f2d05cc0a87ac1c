#!/usr/bin/env bash
# Builds onekvm_VERSION_amd64.deb from a staged release tree (scripts/publish.sh --deb calls it):
# /usr/bin/onekvm-probe, /usr/bin/onekvm-driver, /lib/systemd/system/onekvm-*.service (ExecStart
# /usr/bin), /etc/one/onekvm.json (a conffile). Units are not enabled; removal stops them.
# Usage: packaging/deb/build.sh STAGE VERSION OUTDIR
set -euo pipefail
stage=$1 version=$2 out=$3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -d "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/one"
install -m 0755 "$stage/bin/onekvm-probe" "$stage/bin/onekvm-driver" "$root/usr/bin/"
for unit in "$stage"/systemd/*.service; do
  sed "s|/usr/local/bin/onekvm-probe|/usr/bin/onekvm-probe|g" "$unit" > "$root/lib/systemd/system/$(basename "$unit")"
done
install -m 0644 "$stage/etc/onekvm.json" "$root/etc/one/onekvm.json"
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: onekvm
Version: $version
Architecture: amd64
Maintainer: OneKvm <onekvm@localhost>
Installed-Size: $size
Depends: libvirt-clients
Section: admin
Priority: optional
Description: OpenNebula KVM host agent (probes, Prometheus exporter, cgroup audit, driver actions)
 onekvm-probe replaces OpenNebula's monitoring probes and libvirt exporter on a KVM host;
 onekvm-driver carries out the KVM remote actions. Self-contained: no .NET runtime needed.
CONTROL
echo /etc/one/onekvm.json > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
install -d -m 0750 /var/tmp/one_db/onekvm
if id oneadmin >/dev/null 2>&1; then chown oneadmin:oneadmin /var/tmp/one_db /var/tmp/one_db/onekvm; fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
SCRIPT
cat > "$root/DEBIAN/prerm" <<'SCRIPT'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl disable --now onekvm-serve.service onekvm-agent.service >/dev/null 2>&1 || true; fi
SCRIPT
cat > "$root/DEBIAN/postrm" <<'SCRIPT'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
if [ "$1" = purge ]; then rm -rf /var/tmp/one_db/onekvm; fi
SCRIPT
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
dpkg-deb --root-owner-group --build "$root" "$out/onekvm_${version}_amd64.deb" >/dev/null
echo "publish.sh: $out/onekvm_${version}_amd64.deb"
