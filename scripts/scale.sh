#!/usr/bin/env bash
# Scale harness: OneKvm on synthetic hosts of N VMs and on N small real QEMU domains, side by side
# with Debian's prometheus-libvirt-exporter; writes docs/performance.md and docs/performance.json.
#
#   bash scripts/scale.sh [--vms 10,100,1000] [--real 100] [--soak 600] [--scrapes 200]
#                         [--interval 15] [--layout v1|v2] [--out docs]
#
#   --vms LIST     synthetic hosts (cgroup tree, /proc of the QEMU processes, a libvirt recording)
#   --real N       real tiny TCG domains onekvm-scale-NNN on the shared libvirtd (0: none); taken
#                  under flock /tmp/onekvm-realhost.lock, always destroyed at the end
#   --soak S       seconds serve runs before its RSS is read (default 600 = 10 minutes)
#   --scrapes N    scrapes per latency figure (sequential, then the same count over 4 clients)
#   --interval S   serve's tick (Serve:IntervalSeconds)
#   --probe PATH   use this onekvm-probe instead of publishing one (scripts/publish.sh)
#   --gc N         also compare GC settings: serve on a synthetic host of N VMs under each, side
#                  by side for the soak, RSS read at the end (0: skip; default 0)
# Smoke mode (CI-sized, under a minute): --vms 10 --real 0 --soak 5 --scrapes 20 --interval 1 --out DIR
#
# The synthetic hosts answer libvirt from a recording replayed in process (--Libvirt:Replay=FILE,
# written by `onekvm-scale host`); the real runs use the native client over libvirt.so.0.
set -euo pipefail
# The whole run is one function: bash parses it before starting, so editing this file during a
# run (it takes long) cannot change what the run executes.
main() {
cd "$(dirname "$0")/.."
repo=$PWD
vms=10,100,1000 real=100 soak=600 scrapes=200 interval=15 layout=v1 out=docs probe= gc=0
while (($#)); do
  case $1 in
    --vms) vms=$2 ;; --real) real=$2 ;; --soak) soak=$2 ;; --scrapes) scrapes=$2 ;;
    --interval) interval=$2 ;; --layout) layout=$2 ;; --out) out=$2 ;; --probe) probe=$(realpath "$2") ;; --gc) gc=$2 ;;
    *) echo "scale.sh: unknown option '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2
done

work=$(mktemp -d /tmp/onekvm-scale.XXXXXX)
results=$work/results
mkdir -p "$results"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if ((real > 0)); then
    for d in $(virsh -c qemu:///system list --all --name 2>/dev/null | grep '^onekvm-scale-' || true); do
      virsh -c qemu:///system destroy "$d" >/dev/null 2>&1 || true
      virsh -c qemu:///system undefine "$d" >/dev/null 2>&1 || true
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z $probe ]]; then
  echo "scale.sh: publishing (PUBLISH_MODE ${PUBLISH_MODE:-aot})" >&2
  bash scripts/publish.sh --output "$work/dist" --no-tarball >/dev/null
  probe=$(echo "$work"/dist/onekvm-*/bin/onekvm-probe)
fi
dotnet build bench/OneKvm.Scale -c Release -nologo -v quiet >/dev/null
scale=(dotnet "$repo/bench/OneKvm.Scale/bin/Release/net10.0/onekvm-scale.dll")
port=19960

# wait_ready URL PROBE PID: until the exposition says the probe succeeded (120 s at most, while PID lives).
wait_ready() {
  for _ in $(seq 1200); do
    kill -0 "$3" 2>/dev/null || { echo "scale.sh: pid $3 exited" >&2; return 1; }
    # Not `curl | grep -q`: grep's early exit makes curl fail with SIGPIPE on a large body (pipefail).
    local body
    body=$(curl -sf "$1" 2>/dev/null) || body=
    [[ $body == *$'\n'"$2 1"$'\n'* ]] && return 0
    sleep 0.1
  done
  echo "scale.sh: $1 never showed '$2 1'" >&2
  return 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# once_runs DIR ARGS...: one warm-up (state files), then 3 timed runs (wall s, user s, sys s, max RSS KB).
once_runs() {
  local dir=$1; shift
  "$@" >/dev/null 2>&1 || true
  for i in 1 2 3; do /usr/bin/time -a -o "$dir/once.time" -f "%e %U %S %M" "$@" >/dev/null 2>"$dir/once.err" || true; done
}

# serve_run DIR URL_PROBE ARGS...: serve, ready, soak, RSS, scrapes, RSS again.
serve_run() {
  local dir=$1; shift
  local url=http://127.0.0.1:$port/metrics
  "$probe" serve --listen "127.0.0.1:$port" --Serve:IntervalSeconds="$interval" "$@" 2>"$dir/serve.err" &
  local pid=$!; pids+=("$pid")
  if ! wait_ready "$url" 'onekvm_probe_success{probe="vm_stats"}' "$pid"; then
    echo "scale.sh: serve on port $port (pid $pid) not ready; its stderr:" >&2
    tail -5 "$dir/serve.err" >&2
    kill "$pid" 2>/dev/null || true
    port=$((port + 1))
    return 0
  fi
  sleep "$soak"
  rss_kb "$pid" > "$dir/serve.rss"
  "${scale[@]}" scrape --url "$url" --count "$scrapes" --concurrency 4 > "$dir/scrape.json"
  rss_kb "$pid" > "$dir/serve-after-scrapes.rss"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  port=$((port + 1))
}

publish=${PUBLISH_MODE:-aot}
[[ $probe == "$work"/dist/* ]] || publish="given: $probe"
for n in ${vms//,/ }; do
  echo "scale.sh: synthetic host of $n VMs" >&2
  run=$results/synthetic-$n; host=$work/host-$n; mkdir -p "$run"
  "${scale[@]}" host --vms "$n" --layout "$layout" --base tests/fixtures/hosts/debian12-1node --out "$host"
  printf '{"kind":"synthetic","vms":%d,"layout":"%s","libvirt":"replayed recording (--Libvirt:Replay)"}\n' "$n" "$layout" > "$run/meta.json"
  # A frozen /proc/stat never advances: without FirstSampleWindowSeconds=0 every run would wait 1 s idle.
  common=(--root "$host" --Libvirt:Replay="$host/libvirt.json" --state-dir "$work/state-$n" --kvmrc "$host/var/tmp/one/etc/vmm/kvm/kvmrc" --Probes:FirstSampleWindowSeconds=0)
  "${scale[@]}" cycle --cycles 3 -- "${common[@]}" --Cgroups:UsageWindowSeconds=0 > "$run/cycle.json"
  once_runs "$run" "$probe" --once "${common[@]}"
  serve_run "$run" "${common[@]}"
done

if ((gc > 0)); then
  echo "scale.sh: GC settings at $gc VMs" >&2
  host=$work/host-gc; mkdir -p "$results/gc"
  "${scale[@]}" host --vms "$gc" --layout "$layout" --base tests/fixtures/hosts/debian12-1node --out "$host"
  # name=environment (the build's own setting is workstation, non-concurrent)
  modes=("workstation-nonconcurrent=" "workstation-concurrent=DOTNET_gcConcurrent=1" "server=DOTNET_gcServer=1"
    "conserve-memory-7=DOTNET_GCConserveMemory=7" "heap-hard-limit-64mb=DOTNET_GCHeapHardLimit=0x4000000")
  gcpids=()
  for m in "${modes[@]}"; do
    name=${m%%=*}; env=${m#*=}
    env $env "$probe" serve --listen "127.0.0.1:$port" --Serve:IntervalSeconds="$interval" --root "$host" \
      --Libvirt:Replay="$host/libvirt.json" --state-dir "$work/state-gc-$name" --Probes:FirstSampleWindowSeconds=0 2>"$results/gc/$name.err" &
    gcpids+=("$!"); pids+=("$!")
    echo "$name $port" >> "$results/gc/ports"
    port=$((port + 1))
  done
  sleep "$soak"
  i=0
  while read -r name p; do
    curl -sf "http://127.0.0.1:$p/metrics" >/dev/null || echo "scale.sh: gc $name did not answer" >&2
    printf '%s %s\n' "$name" "$(rss_kb "${gcpids[$i]}")" >> "$results/gc/rss"
    i=$((i + 1))
  done < "$results/gc/ports"
  for p in "${gcpids[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
fi

if ((real > 0)); then
  exec 9>/tmp/onekvm-realhost.lock
  echo "scale.sh: waiting for the real-host lock" >&2
  flock 9
  run=$results/real-$real; mkdir -p "$run"
  images=/var/lib/libvirt/images/onekvm-scale
  mkdir -p "$images"
  # 512-byte boot sector: HLT; JMP back to the HLT; 0x55AA signature. The guest idles at once.
  { printf '\xf4\xeb\xfd'; head -c 507 /dev/zero; printf '\x55\xaa'; } > "$images/boot.img"
  started=0
  for ((i = 1; i <= real; i += 10)); do
    for ((j = i; j < i + 10 && j <= real; j++)); do
      name=$(printf 'onekvm-scale-%03d' "$j")
      cat > "$work/$name.xml" <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$images/boot.img'/><target dev='vda' bus='virtio'/><readonly/><shareable/></disk>
    <memballoon model='virtio'/>
  </devices>
</domain>
XML
      virsh -c qemu:///system create "$work/$name.xml" >/dev/null 2>>"$run/create.err" &
    done
    wait
    started=$(virsh -c qemu:///system list --name | grep -c '^onekvm-scale-' || true)
    if ((started < j - 1)); then echo "scale.sh: only $started of $((j - 1)) domains started (see create.err)" >&2; break; fi
  done
  echo "scale.sh: $started real domains running" >&2
  printf '{"kind":"real","vms":%d,"requested":%d,"libvirt":"qemu:///system (native client)"}\n' "$started" "$real" > "$run/meta.json"
  sleep 5 # let the guests reach their HLT
  libvirtd=$(pidof libvirtd | awk '{print $1}')
  common=(--state-dir "$work/state-real")
  "${scale[@]}" cycle --cycles 3 --libvirtd-pid "$libvirtd" -- "${common[@]}" --Cgroups:UsageWindowSeconds=0 > "$run/cycle.json"
  once_runs "$run" "$probe" --once "${common[@]}"
  mkdir -p "$run/vmcats" "$run/domstats"
  once_runs "$run/vmcats" "$probe" --once --category monitor_vm,state_vm "${common[@]}"
  once_runs "$run/domstats" virsh -c qemu:///system -r domstats --nowait --list-active
  # Debian's exporter (kumina 0.2.0) on the same domains, running for the same soak.
  /usr/bin/prometheus-libvirt-exporter --web.listen-address=127.0.0.1:19177 --libvirt.uri=qemu:///system 2>"$run/peer.err" &
  peer=$!; pids+=("$peer")
  serve_run "$run" "${common[@]}"
  rss_kb "$peer" > "$run/peer.rss"
  "${scale[@]}" scrape --url http://127.0.0.1:19177/metrics --count "$scrapes" --concurrency 4 > "$run/peer-scrape.json"
  rss_kb "$peer" > "$run/peer-after-scrapes.rss"
  kill "$peer"; wait "$peer" 2>/dev/null || true
  for d in $(virsh -c qemu:///system list --name | grep '^onekvm-scale-' || true); do
    virsh -c qemu:///system destroy "$d" >/dev/null 2>&1 || true
  done
  flock -u 9
fi

"${scale[@]}" report --results "$results" --md "$out/performance.md" --json "$out/performance.json" \
  --soak "$soak" --scrapes "$scrapes" --interval "$interval" --publish "$publish" \
  --libvirt "$(virsh --version 2>/dev/null || echo unknown) (virsh), QEMU $(qemu-system-x86_64 --version 2>/dev/null | head -1 | awk '{print $4}')"
}
main "$@"; exit $?
