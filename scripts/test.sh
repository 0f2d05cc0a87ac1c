#!/usr/bin/env bash
# Runs every OneKvm test on a fresh Debian 12 machine, as root:
#   1. installs and starts what the tests need (scripts/install-test-deps.sh),
#   2. builds and runs each test project with the host's cgroup CPU controllers as booted (v1 on a
#      hybrid host),
#   3. moves the CPU controllers to cgroup v2 with shared/tools/cgroup-cpu-mode and runs the tests
#      that read the real host again (Category=RealHost), then moves them back.
# Ends with one line "N passed, N failed"; exits non-zero when any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

bash scripts/install-test-deps.sh || { echo "test.sh: installing test dependencies failed" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build OneKvm.sln -c Release -nologo -clp:ErrorsOnly || { echo "test.sh: build failed" >&2; exit 1; }

# The real-host tests share this machine's libvirtd: hold the lock developers' real-host runs take
# (`flock /tmp/onekvm-realhost.lock dotnet test ...`) for the whole run. fd 8 is closed for every
# child that could start a daemon (a libvirtd restarted by a test must not keep the lock).
exec 8>/tmp/onekvm-realhost.lock
flock 8

passed=0 failed=0 skipped=0 status=0
log=$(mktemp)
run_tests() { # $1 label, rest: extra dotnet test args
  local label=$1; shift
  for proj in tests/*/*.Tests.csproj; do
    echo "== $label: $(basename "$proj" .csproj)"
    # 9>&-: a libvirtd restarted by a test must not inherit the cgroup-mode lock.
    dotnet test "$proj" -c Release --no-build -nologo "$@" 8>&- 9>&- 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local line
    line=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | tail -1)
    if [[ -n $line ]]; then
      failed=$((failed + $(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line")))
      passed=$((passed + $(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line")))
      skipped=$((skipped + $(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line")))
    fi
    # "no test matches the filter" is fine for a project without real-host tests.
    if ((rc != 0)) && ! grep -q 'No test matches the given testcase filter' "$log"; then status=1; fi
  done
}

mode_tool=${CGROUP_CPU_MODE_TOOL:-$repo/../shared/tools/cgroup-cpu-mode}
initial_mode=""
if [[ -x $mode_tool ]]; then
  initial_mode=$("$mode_tool" status | awk '/^cpu mode:/ {print $3}')
fi

run_tests "cgroup cpu mode ${initial_mode:-as booted}"

if [[ -x $mode_tool && $initial_mode == v1 ]]; then
  remove_test_domains() {
    for d in $(virsh -c qemu:///system list --all --name); do
      case $d in one-9*|one-82[0-9][0-9]|onekvm-test-*) virsh -c qemu:///system destroy "$d" >/dev/null 2>&1
                                       virsh -c qemu:///system undefine "$d" >/dev/null 2>&1 ;; esac
    done
  }
  # Other users of this libvirtd (developers' runs) hold the lock shared while their domains live.
  exec 9>/tmp/onekvm-cgroup-mode.lock
  flock 9
  remove_test_domains
  if "$mode_tool" v2; then
    trap 'remove_test_domains; "$mode_tool" v1 >/dev/null' EXIT
    run_tests "cgroup cpu mode v2" --filter "Category=RealHost"
    remove_test_domains
    "$mode_tool" v1 || { echo "test.sh: could not move the CPU controllers back to v1" >&2; status=1; }
    trap - EXIT
    flock -u 9
  else
    echo "test.sh: cgroup-cpu-mode v2 refused; the v2 pass did not run" >&2
    status=1
  fi
elif [[ ! -x $mode_tool ]]; then
  echo "test.sh: $mode_tool not found: the cgroup v2 pass did not run"
fi

rm -f "$log"
echo "Tests: $passed passed, $failed failed, $skipped skipped"
((failed == 0)) || status=1
exit $status
