#!/bin/sh
# The function image of a release: one build per platform in PLATFORMS (default linux/amd64,linux/arm64;
# another architecture's RUN steps need qemu-user binfmt), gathered in the manifest list $IMAGE, with the
# OCI labels from the coordinates (release.mjs env). Pushing is the workflow's next step. Arguments go to
# podman build (test/integration/release.test.ts passes the local base images).
set -eu
: "${IMAGE:?}" "${HOME_URL:?}" "${RELEASE_VERSION:?}"
podman build --platform "${PLATFORMS:-linux/amd64,linux/arm64}" --target function \
  --build-arg VERSION="$RELEASE_VERSION" --build-arg REVISION="${GITHUB_SHA:-$(git rev-parse HEAD)}" \
  --label org.opencontainers.image.source="$HOME_URL" \
  --label org.opencontainers.image.url="$HOME_URL" \
  --label org.opencontainers.image.documentation="$HOME_URL/blob/v$RELEASE_VERSION/docs/orchestrators.md" \
  --manifest "$IMAGE" "$@" .
