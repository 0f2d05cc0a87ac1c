#!/usr/bin/env bash
# Publishes onekvm-probe and onekvm-driver for linux-x64 into one staging directory:
#   bash scripts/publish.sh [STAGING_DIR]        (default artifacts/publish)
# The one place that chooses how the executables are compiled (ONEKVM_PUBLISH_MODE):
#   aot     NativeAOT (default): native executables, no JIT at start-up, smallest resident set.
#           Needs clang and zlib1g-dev on the build machine (Debian: apt-get install clang zlib1g-dev).
#   r2r     self-contained single file, ReadyToRun-precompiled (fallback where AOT cannot build).
#   jit     self-contained single file, JIT only (the former install.sh build).
# Both projects set PublishAot=true; the other modes turn it off here.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:-artifacts/publish}
mode=${ONEKVM_PUBLISH_MODE:-aot}
rid=${RID:-linux-x64}
case $mode in
  aot) props=(-p:PublishAot=true -p:StripSymbols=true) ;;
  r2r) props=(-p:PublishAot=false -p:PublishReadyToRun=true -p:PublishSingleFile=true -p:SelfContained=true) ;;
  jit) props=(-p:PublishAot=false -p:PublishSingleFile=true -p:SelfContained=true -p:EnableCompressionInSingleFile=true) ;;
  *) echo "publish.sh: ONEKVM_PUBLISH_MODE must be aot, r2r or jit, not '$mode'" >&2; exit 2 ;;
esac
mkdir -p "$stage"
for project in Collector Driver; do
  dotnet publish "src/$project" -c Release -r "$rid" -nologo -v quiet -p:DebugType=none "${props[@]}" -o "$stage"
done
rm -f "$stage"/*.dbg "$stage"/*.pdb "$stage"/*.xml
echo "publish.sh: $mode build of onekvm-probe and onekvm-driver in $stage"
