#!/usr/bin/env bash
# Builds the release artefact of OneKvm without installing anything:
#   OUT/onekvm-VERSION-RID/            the staged tree
#     bin/onekvm-probe bin/onekvm-driver   self-contained executables (no .NET runtime needed on the host)
#     systemd/onekvm-serve.service systemd/onekvm-agent.service
#     etc/onekvm.json                      default configuration
#     install.sh uninstall.sh VERSION
#   OUT/onekvm-VERSION-RID.tar.gz      the same tree packed (unless --no-tarball)
#   OUT/onekvm_VERSION_amd64.deb       with --deb (dpkg-deb; installs to /usr/bin and /lib/systemd/system)
# Usage: scripts/publish.sh [--output DIR] [--no-tarball] [--deb]
# The publish mode is chosen here, in one place (the csproj files set PublishAot=true):
#   PUBLISH_MODE=aot (default)  NativeAOT: native executables, no JIT at start-up, the smallest
#                               resident set (docs/performance.md); needs clang and zlib1g-dev
#   PUBLISH_MODE=r2r            self-contained single file, ReadyToRun-precompiled (where AOT cannot build)
#   PUBLISH_MODE=single-file    self-contained single file, JIT only, compressed
# The Dockerfile's build stage runs this same script.
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist tarball=1 deb=0
while (($#)); do
  case $1 in
    --output) out=$2; shift 2 ;;
    --no-tarball) tarball=0; shift ;;
    --deb) deb=1; shift ;;
    *) echo "publish.sh: unknown argument '$1' (--output DIR, --no-tarball, --deb)" >&2; exit 2 ;;
  esac
done
RID=${RID:-linux-x64}
PUBLISH_MODE=${PUBLISH_MODE:-aot}
version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' Directory.Build.props | head -1)
commit=${SOURCE_REVISION:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
case $PUBLISH_MODE in
  aot) mode_args=(-p:PublishAot=true -p:StripSymbols=true) ;;
  r2r) mode_args=(-p:PublishAot=false -p:PublishReadyToRun=true -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true) ;;
  single-file) mode_args=(-p:PublishAot=false -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true) ;;
  *) echo "publish.sh: PUBLISH_MODE must be aot, r2r or single-file" >&2; exit 2 ;;
esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
name=onekvm-$version-$RID
stage=$out/$name
rm -rf "$stage" && mkdir -p "$stage/bin" "$stage/systemd" "$stage/etc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for project in Collector Driver; do
  dotnet publish "src/$project" -c Release -r "$RID" --self-contained true -nologo -v quiet \
    "${mode_args[@]}" -p:DebugType=none -p:SourceRevisionId="$commit" -o "$work/$project"
done
install -m 0755 "$work/Collector/onekvm-probe" "$work/Driver/onekvm-driver" "$stage/bin/"
install -m 0644 packaging/systemd/*.service "$stage/systemd/"
install -m 0644 packaging/onekvm.json "$stage/etc/onekvm.json"
install -m 0755 packaging/install.sh packaging/uninstall.sh "$stage/"
echo "$version $commit" > "$stage/VERSION"

if ((tarball)); then
  tar -C "$out" -czf "$out/$name.tar.gz" "$name"
  echo "publish.sh: $out/$name.tar.gz"
fi
if ((deb)); then
  bash packaging/deb/build.sh "$stage" "$version" "$out"
fi
echo "publish.sh: staged $stage ($("$stage/bin/onekvm-probe" --version))"
