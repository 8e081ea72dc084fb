#!/bin/sh
# What the GitHub release carries, into out/: the npm tarball (npm pack: prepack builds), the single-file
# wizard page, a CycloneDX SBOM of the package (npm sbom over the lockfile: what the bundle and the page
# were built from, the bundled yaml, ajv and fast-json-patch among them), the release notes and the kpt
# catalog's metadata.yaml.
set -eu
: "${TARBALL:?}" "${PAGE:?}" "${SBOM:?}"
mkdir -p out
npm pack --pack-destination out >/dev/null
test -f "out/$TARBALL"
cp dist/web/index.html "out/$PAGE"
npm sbom --sbom-format cyclonedx --sbom-type application --package-lock-only > "out/$SBOM"
node scripts/release/release.mjs notes > out/notes.md
node scripts/release/release.mjs metadata > out/metadata.yaml
