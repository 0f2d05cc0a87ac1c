#!/usr/bin/env bash
# Installs and starts what the tests need on a fresh Debian 12 machine (run as root):
# libvirt (libvirtd + virtlogd, started by hand: no systemd as PID 1 here), QEMU without KVM,
# qemu-img, Prometheus and promtool, headless Chromium (the status page test). Idempotent: safe to run again.
set -euo pipefail

packages=(clang ovmf zlib1g-dev prometheus-libvirt-exporter libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils prometheus procps iproute2 pciutils pci.ids strace systemd util-linux chromium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-test-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian packages try to start services through systemd; without it, stop any Prometheus the
# package started and start the libvirt daemons ourselves.
pkill -x prometheus 2>/dev/null || true

# Without udev nothing gives /dev/kvm Debian's group and mode (root:kvm 0660). Left root-only, libvirt
# probes QEMU as root (KVM found) but checks /dev/kvm as libvirt-qemu (no access), so it throws its
# capabilities cache away on every call: each virConnectGetCapabilities then takes 10-90 s.
if [[ -c /dev/kvm ]] && getent group kvm >/dev/null; then
  chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
fi

if ! pgrep -x virtlogd >/dev/null; then
  virtlogd --daemon
fi
if ! virsh -c qemu:///system version >/dev/null 2>&1; then
  pgrep -x libvirtd >/dev/null && pkill -x libvirtd && sleep 1
  libvirtd --daemon
  for _ in $(seq 1 50); do
    virsh -c qemu:///system version >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
virsh -c qemu:///system version >/dev/null
echo "install-test-deps: libvirtd up ($(virsh -c qemu:///system version --daemon | grep -i daemon | tail -1)); $(qemu-system-x86_64 --version | head -1)"
