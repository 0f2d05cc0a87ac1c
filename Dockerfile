# onekvm-probe serve (Prometheus exporter) in a container, reading the host through mounts:
# /proc, /sys (with the cgroup tree), OpenNebula's /var/tmp/one (kvmrc) and datastores below /host
# (--root /host re-roots every host path, kvmrc included), libvirt's socket at /run/libvirt.
# Build:  docker build -t onekvm .
# Run:    see README.md "Container" (the docker run line; --network host, --group-add libvirt's gid).
# The build stage runs scripts/publish.sh, the same command that makes the release artefact.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# NativeAOT (publish.sh's default mode) links with clang.
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
COPY . .
RUN bash scripts/publish.sh --output /dist --no-tarball && mv /dist/onekvm-*-linux-x64 /dist/onekvm

# Self-contained executables: the runtime-deps base (no .NET runtime) plus virsh.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvirt-clients \
    && rm -rf /var/lib/apt/lists/*
# oneadmin with OpenNebula's ids; reads need no root (the libvirt socket through --group-add).
RUN groupadd --system --gid 9869 oneadmin \
    && useradd --system --uid 9869 --gid 9869 --home-dir /var/tmp/one_db --no-create-home --shell /usr/sbin/nologin oneadmin \
    && install -d -o 9869 -g 9869 -m 0750 /var/tmp/one_db /var/tmp/one_db/onekvm
COPY --from=build /dist/onekvm/bin/onekvm-probe /dist/onekvm/bin/onekvm-driver /usr/bin/
COPY --from=build /dist/onekvm/etc/onekvm.json /etc/one/onekvm.json
USER 9869:9869
EXPOSE 9926
ENV LC_ALL=C
ENTRYPOINT ["/usr/bin/onekvm-probe"]
CMD ["serve", "--root", "/host", "--listen", "0.0.0.0:9926"]
