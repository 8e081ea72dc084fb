// The published coordinates of sidecar-injector: the one place every other file takes them from (the
// bundle and the page through fn/coordinates.ts, the release scripts, the docs' tests). All of it comes
// from package.json: `name` (the npm package), `version`, and `repository`, which names the GitHub
// repository the project is released from. No organisation is assumed: package.json carries no
// `repository` until the release workflow sets it to the repository it runs in (`npm pkg set`), so a
// build from a checkout is unreleased, and says so (no image, no home page; docs/orchestrators.md#releases).

/**
 * @typedef {object} Coordinates
 * @property {string} name npm package name, and the name of the image and the command
 * @property {string} version package version; the image tag and the git tag `v<version>` follow it
 * @property {string | null} repository `owner/name` on GitHub, or null before a release
 * @property {string | null} home `https://github.com/<repository>`, or null
 * @property {string | null} image the image repository `ghcr.io/<repository>` (lower case), or null
 */

const GITHUB = /^(?:git\+)?https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/;

/**
 * @param {{ name: string, version: string, repository?: string | { url?: string } }} pkg package.json
 * @returns {Coordinates}
 */
export function coordinatesOf(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
  const repository = GITHUB.exec(url)?.[1] ?? null;
  return {
    name: pkg.name,
    version: pkg.version,
    repository,
    home: repository && `https://github.com/${repository}`,
    // ghcr.io takes lower-case names only; the release workflow pushes here.
    image: repository && `ghcr.io/${repository.toLowerCase()}`,
  };
}
