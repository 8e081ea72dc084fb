/**
 * The files the wizard's "Wire it in" step offers (web/wiring.ts), by path: the one list `wizard DIR` creates
 * files from (fn/cli/wizard-create.ts). A path not here is never written by that route, whatever a request
 * names; test/unit/offered-files.test.ts holds every file the page offers, for every tool, to this list.
 */
export const CONFIG_FILE = 'sidecar-injector.yaml';

export const OFFERED_FILES: ReadonlySet<string> = new Set([
  CONFIG_FILE,
  'install.sh',
  'Kptfile',
  'kustomization.yaml',
  'build.sh',
  'sidecar-injector-post-render.sh',
  'helm.sh',
  'deploy.sh',
  'Dockerfile.argocd-cmp',
  'argocd-repo-server-patch.yaml',
  'application-plugin.yaml',
  'flux-kustomization.yaml',
  '.github/workflows/sidecar-check.yaml',
  '.github/workflows/render.yaml',
]);
