# Images of the sidecar-injector KRM function.
#
#   docker build -t localhost/sidecar-injector:dev .                      # the function (default, last stage)
#   docker build --target init -t localhost/sidecar-injector-init:dev .   # iptables/ip6tables init image
#
# Base images are build arguments with pinned defaults. distroless publishes no version tags: pin
# RUNTIME_IMAGE by digest in release builds (--build-arg RUNTIME_IMAGE=gcr.io/...@sha256:...).
# Without a registry (podman and local base images from scripts/podman-setup.sh), see
# docs/orchestrators.md, "Building the images".
ARG BUILD_IMAGE=docker.io/library/node:20.19.5-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot
ARG INIT_BASE_IMAGE=docker.io/library/debian:12.11-slim

# --- build: the bundle, a loader and the code with its V8 cache -------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: esbuild's postinstall only verifies its platform package.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/coordinates.mjs scripts/
COPY schemas/ schemas/
COPY fn/ fn/
RUN npm run build

# --- init: iptables and ip6tables for the explicit-rules interception mode -------------------------
# Runs as root with NET_ADMIN/NET_RAW; the function renders the command.
FROM ${INIT_BASE_IMAGE} AS init
RUN apt-get update \
 && apt-get install -y --no-install-recommends iptables \
 && rm -rf /var/lib/apt/lists/*
CMD ["iptables", "--version"]

# --- function: node and the bundle, nothing else ---------------------------------------------------
# kpt and kustomize run it as `--user nobody --network none -i`; it writes no files, so it needs no
# writable home and works with a read-only root filesystem.
FROM ${RUNTIME_IMAGE} AS function
COPY --from=build /src/dist/sidecar-injector.js /src/dist/sidecar-injector.bin /fn/
# distroless keeps node in /nodejs/bin, node images in /usr/local/bin.
ENV PATH=/nodejs/bin:/usr/local/bin:/usr/bin:/bin
USER 65534:65534
ENTRYPOINT ["node", "/fn/sidecar-injector.js"]
# OCI labels. The version is package.json's (test/integration/image-release.test.ts holds the default to it);
# the release (scripts/release/image.sh) passes VERSION and REVISION, and adds the labels that name the
# repository (source, url, documentation) from the published coordinates: a build from a checkout has none.
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="sidecar-injector" \
      org.opencontainers.image.description="KRM function injecting the Speedscale goproxy sidecar into annotated workloads" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
