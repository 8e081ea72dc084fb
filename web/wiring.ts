/**
 * "Wire it in": the exact files to add or change for the tool the manifests show, as one table keyed by
 * tool. Each generator is pure: the same choices give the same files, so a test writes them to disk and
 * runs them as printed (test/integration/wiring-snippets.test.ts: that test is the contract of this file).
 *
 * What the files name comes from the published coordinates (fn/coordinates.ts, package.json's). Before a
 * release there is no package to install and no image to pull: the files then install the command line
 * from the tarball `npm pack` writes in a checkout, and name the function image in the registry the user
 * gives, with the commands that build and push it there (install.sh). Nothing is a placeholder: a file
 * that needs a name the user has not given yet is not shown (the step asks for it).
 *
 * The names come from the user's files, link and answers: every one goes into a script as one shell word
 * (web/shell.ts) and into YAML through the YAML writer (`toYaml`), never spliced into either as text; the
 * registry is taken only when it is one (web/registry.ts).
 */
import {
  CONFIG_API_VERSION,
  CONFIG_FILE,
  CONFIG_KIND,
  COORDINATES,
  LOCAL_CONFIG_ANNOTATION,
  toYaml,
} from '../fn/index';
import { registryOf, registryProblem } from './registry';
import { shellPath, shellWord } from './shell';
import type { Tool, WizardState } from './state';

export interface WiringFile {
  path: string;
  text: string;
  /** What to do with it, in a few words. */
  note: string;
}

export interface WiringContext {
  /** The SidecarInjector spec as the form gives it (typed). */
  spec: Record<string, unknown>;
  /** The manifests' file paths, as loaded (a paste is manifests.yaml). */
  paths: string[];
  /**
   * The user's kustomization, when they loaded one: changed, not replaced, under its own name
   * (`kustomization.yml` or `Kustomization`: kustomize refuses a directory holding two).
   */
  kustomization?: { name: string; text: string };
  /** The user's Kptfile, when they loaded one: the step is added to its pipeline. */
  kptfile?: string;
  /** The registry the user pushes images to (`registry.example.org/team`), as answered in the step. */
  registry?: string;
}

export { CONFIG_FILE };
const { name: NAME, version: VERSION } = COORDINATES;
/** Whether a release is published: the name can be installed and the image pulled (scripts/coordinates.mjs). */
export const RELEASED = COORDINATES.image !== null;
/** What `npm pack` writes in a checkout. */
export const TARBALL = `${NAME}-${VERSION}.tgz`;
/** The command line installed: from the registry once released, from the packed tarball before. */
export const CLI_INSTALL = `npm install -g ${shellWord(RELEASED ? `${NAME}@${VERSION}` : `./${TARBALL}`)}`;
/** What the CI snippets install: the versions the tests run (docs/orchestrators.md). */
export const KPT_VERSION = 'v1.0.0-beta.56';
/** The Dockerfile's build image, which the Argo CD plugin's image starts from. */
export const NODE_IMAGE = 'docker.io/library/node:20.19.5-bookworm-slim';

/**
 * The function image the files name: in the user's registry when given, else the published one, else none.
 * A registry that is not one names no image: the field says why (web/registry-input.ts).
 */
export function functionImage(registry?: string): string | undefined {
  if (registryProblem(registry)) return undefined;
  const own = registryOf(registry);
  if (own) return `${own}/${NAME}:${VERSION}`;
  return COORDINATES.image ? `${COORDINATES.image}:${VERSION}` : undefined;
}

/** The Argo CD plugin's sidecar image: always the user's build (the project publishes none). */
export function cmpImage(registry?: string): string | undefined {
  const own = registryOf(registry);
  return own && `${own}/${NAME}-argocd-cmp:${VERSION}`;
}

const IMAGE_TOOLS: readonly Tool[] = ['kpt', 'kustomize', 'flux'];
/** Whether the tool's files name an image, so the step asks for the registry (optional: a mirror, once released). */
export const asksRegistry = (tool: Tool): boolean => tool === 'argocd' || IMAGE_TOOLS.includes(tool);
/** Whether the files cannot be shown until the registry is given. */
export const needsRegistry = (tool: Tool): boolean => tool === 'argocd' || (IMAGE_TOOLS.includes(tool) && !RELEASED);

/** The tool the file names point to; kubectl and plain files otherwise. Argo CD and Flux are the user's choice. */
export function detectTool(paths: readonly string[]): Tool {
  const base = paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
  const found = DETECT.find(([name]) => base.includes(name));
  return found ? found[1] : 'kubectl';
}

const DETECT: readonly [string, Tool][] = [
  ['Kptfile', 'kpt'],
  ['kustomization.yaml', 'kustomize'],
  ['kustomization.yml', 'kustomize'],
  ['Kustomization', 'kustomize'],
  ['Chart.yaml', 'helm'],
];

/** How an application renders, as the Argo CD plugin's generate.sh decides it. */
type Source = 'kustomize' | 'helm' | 'plain';
const SOURCE_FILE: Readonly<Record<Source, string>> = {
  kustomize: 'kustomization.yaml',
  helm: 'Chart.yaml',
  plain: 'manifests',
};
function sourceOf(paths: readonly string[]): Source {
  const tool = detectTool(paths);
  return tool === 'kustomize' || tool === 'helm' ? tool : 'plain';
}

function injectorConfig(spec: Record<string, unknown>, annotations: Record<string, string>): string {
  const doc = {
    apiVersion: CONFIG_API_VERSION,
    kind: CONFIG_KIND,
    metadata: { name: 'inject-speedscale', annotations },
    spec,
  };
  return toYaml(doc, { indentSeq: false });
}

const localConfig = (spec: Record<string, unknown>) => injectorConfig(spec, { [LOCAL_CONFIG_ANNOTATION]: 'true' });
/** Lines of a script: its values each put in with shellWord or shellPath. */
const lines = (...text: string[]) => `${text.join('\n')}\n`;
/** A YAML file: data through the YAML writer, every value quoted as YAML needs it. */
const yamlFile = (data: unknown) => toYaml(data, { indentSeq: false });
const manifests = (paths: readonly string[]) =>
  paths.filter((p) => /\.(ya?ml|json)$/.test(p) && !/(^|\/)Chart\.yaml$/.test(p));

/** The names kustomize reads a directory's kustomization from (kustomize's konfig.RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/** The kustomization that lists the transformer: the user's, under its own name, or a new one. */
function kustomization(ctx: WiringContext, note: string): WiringFile {
  const own = ctx.kustomization;
  if (own !== undefined) {
    const text = /^transformers:/m.test(own.text)
      ? own.text.replace(/^transformers:[^\n]*\n/m, (line) => `${line}- ${CONFIG_FILE}\n`)
      : `${own.text}${own.text.endsWith('\n') ? '' : '\n'}transformers:\n- ${CONFIG_FILE}\n`;
    return { path: own.name, note, text };
  }
  const text = yamlFile({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: manifests(ctx.paths).filter((p) => !KUSTOMIZATION_FILE.test(p)),
    transformers: [CONFIG_FILE],
  });
  return { path: 'kustomization.yaml', note, text };
}

const transformer = (ctx: WiringContext, image: string): WiringFile => ({
  path: CONFIG_FILE,
  note: 'the SidecarInjector, run by kustomize as a container transformer',
  // The annotation's value is YAML itself, written as such.
  text: injectorConfig(ctx.spec, { 'config.kubernetes.io/function': toYaml({ container: { image } }) }),
});

/** The kpt step, added to the user's Kptfile (its pipeline's mutators), or a Kptfile of its own. */
function kptfile(ctx: WiringContext, image: string): string {
  const data = { name: 'inject-speedscale-sidecar', image, configPath: CONFIG_FILE };
  const mine = ctx.kptfile;
  if (mine === undefined)
    return toYaml({
      apiVersion: 'kpt.dev/v1',
      kind: 'Kptfile',
      metadata: { name: 'app', annotations: { [LOCAL_CONFIG_ANNOTATION]: 'true' } },
      pipeline: { mutators: [data] },
    });
  // Into the user's text as it is: the step written by the YAML writer, each line at the list's indent.
  const step = (indent: string) => yamlFile([data]).replace(/^(?=.)/gm, indent);
  const mutators = /^( +)mutators:[^\n]*\n(?:( +)-)?/m.exec(mine);
  if (mutators) {
    const indent = mutators[2] ?? `${mutators[1]}  `;
    const at = mutators.index + mutators[0].length - (mutators[2] ? mutators[2].length + 1 : 0);
    return `${mine.slice(0, at)}${step(indent)}${mine.slice(at)}`;
  }
  const text = mine.endsWith('\n') ? mine : `${mine}\n`;
  if (/^pipeline:[^\n]*\n/m.test(text))
    return text.replace(/^pipeline:[^\n]*\n/m, (line) => `${line}  mutators:\n${step('    ')}`);
  return `${text}pipeline:\n  mutators:\n${step('    ')}`;
}

type Files = WiringFile[];

/** A GitHub workflow: checkout, then the steps; each step's `run` is what the snippet test runs. */
interface WorkflowStep {
  name: string;
  uses?: string;
  with?: Record<string, string | number>;
  run?: string;
}
function workflow(name: string, on: unknown, steps: WorkflowStep[], permissions?: Record<string, string>): string {
  return toYaml({
    name,
    on,
    ...(permissions && { permissions }),
    jobs: { [name]: { 'runs-on': 'ubuntu-24.04', steps: [{ uses: 'actions/checkout@v4' }, ...steps] } },
  });
}

const INSTALL_KPT: WorkflowStep = {
  name: 'Install kpt',
  run: lines(
    `curl -fsSL -o kpt https://github.com/kptdev/kpt/releases/download/${KPT_VERSION}/kpt_linux_amd64`,
    'sudo install -m 0755 kpt /usr/local/bin/kpt',
  ),
};
const SETUP_NODE: WorkflowStep = { name: 'Set up node', uses: 'actions/setup-node@v4', with: { 'node-version': 20 } };
const INSTALL_CLI: WorkflowStep = { name: `Install ${NAME}`, run: CLI_INSTALL };

/** The CI drift gate, as the check workflow and Verify print it. */
export const CHECK = `${NAME} inject --annotated --config ${CONFIG_FILE} --check .`;

/** The command line: in CI too, from the tarball committed beside the workflow until a release is published. */
const checkWorkflow = (): WiringFile => ({
  path: '.github/workflows/sidecar-check.yaml',
  note:
    'CI: fail the build when the committed manifests drift from what the function writes' +
    (RELEASED ? '' : `; commit ${TARBALL} (from install.sh) at the repository's root for its install step`),
  text: workflow(
    'sidecar-check',
    ['push', 'pull_request'],
    [SETUP_NODE, INSTALL_CLI, { name: 'Check for drift', run: CHECK }],
  ),
});

/**
 * install.sh: what the files need installed, one command each. Released: the package and image by name.
 * Before: from a checkout of this repository, the tarball and the image built and pushed to the user's registry.
 */
function install(parts: { cli?: boolean; image?: string; cmp?: { image: string; source: Source } }): Files {
  const out = ['#!/bin/sh', 'set -e'];
  if (!RELEASED) out.push(`# ${NAME} ${VERSION} is not published yet: run this in a checkout of its repository.`);
  // The tarball's build needs the dev dependencies; the image builds in its own stage.
  if (!RELEASED && (parts.cli || parts.cmp)) out.push('npm ci');
  if (parts.cli) out.push('# the command line', ...(RELEASED ? [] : ['npm pack']), CLI_INSTALL);
  else if (parts.cmp && !RELEASED) out.push('# the tarball the plugin image installs', 'npm pack');
  const published = COORDINATES.image && `${COORDINATES.image}:${VERSION}`;
  if (parts.image && parts.image !== published) {
    out.push(`# the function image, in your registry${RELEASED ? ' (a copy of the published one)' : ''}`);
    const to = shellWord(parts.image);
    if (published) out.push(`docker pull ${shellWord(published)}`, `docker tag ${shellWord(published)} ${to}`);
    else out.push(`docker build --target function -t ${to} .`);
    out.push(`docker push ${to}`);
  }
  if (parts.cmp) {
    out.push(
      `# the Argo CD plugin's sidecar image${parts.cmp.source === 'plain' ? '' : `: put the ${parts.cmp.source} binary beside it first`}`,
      `docker build -f Dockerfile.argocd-cmp -t ${shellWord(parts.cmp.image)} .`,
      `docker push ${shellWord(parts.cmp.image)}`,
    );
  }
  if (out.length === 2) return []; // released, and nothing to copy: the files name the published image
  return [
    {
      path: 'install.sh',
      note: RELEASED
        ? 'install what the files below use'
        : 'no release is published yet: build and install from a checkout of sidecar-injector' +
          (out.some((l) => l.startsWith('docker ')) ? ' (Docker, or podman behind a docker command)' : ''),
      text: lines(...out),
    },
  ];
}

/** The Argo CD plugin's sidecar image: node, the package (its plugin.yaml where argocd-cmp-server reads it), the renderer. */
function cmpDockerfile(source: Source): string {
  const installed = `/usr/local/lib/node_modules/${NAME}`;
  const pkg = RELEASED ? `${NAME}@${VERSION}` : `/tmp/${TARBALL}`;
  return lines(
    `# The Argo CD config management plugin's sidecar: argocd-cmp-server runs ${NAME}'s argocd/generate.sh.`,
    `FROM ${NODE_IMAGE}`,
    ...(RELEASED ? [] : [`COPY ${TARBALL} /tmp/`]),
    `RUN npm install -g ${shellWord(pkg)}${RELEASED ? '' : ` && rm ${shellWord(pkg)}`} \\`,
    ' && mkdir -p /home/argocd/cmp-server/config \\',
    ` && cp ${shellWord(`${installed}/argocd/plugin.yaml`)} /home/argocd/cmp-server/config/plugin.yaml`,
    ...(source === 'plain'
      ? []
      : [`# the ${source} binary you mirror, beside this file`, `COPY ${source} /usr/local/bin/`]),
    'USER 999',
  );
}

/** A strategic-merge patch of argocd-repo-server adding the plugin's sidecar, as Argo CD's CMP guide has it. */
const repoServerPatch = (image: string) =>
  toYaml({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'argocd-repo-server' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: NAME,
              image,
              command: ['/var/run/argocd/argocd-cmp-server'],
              securityContext: { runAsNonRoot: true, runAsUser: 999 },
              volumeMounts: [
                { name: 'var-files', mountPath: '/var/run/argocd' },
                { name: 'plugins', mountPath: '/home/argocd/cmp-server/plugins' },
                { name: 'cmp-tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [{ name: 'cmp-tmp', emptyDir: {} }],
        },
      },
    },
  });

/** The plugin's name in an Application: the ConfigManagementPlugin's name and version (argocd/plugin.yaml). */
export const ARGOCD_PLUGIN = `${NAME}-v${VERSION}`;

/** Files that name an image the user has not given yet are not shown: the step asks for it. */
const withImage = (image: string | undefined, files: (image: string) => Files): Files => (image ? files(image) : []);

export const WIRING: Readonly<Record<Tool, (ctx: WiringContext) => Files>> = {
  kpt: (ctx) =>
    withImage(functionImage(ctx.registry), (image) => [
      ...install({ image }),
      {
        path: 'Kptfile',
        note: `the step in your Kptfile's pipeline; then kpt fn render (kpt runs the image with docker)`,
        text: kptfile(ctx, image),
      },
      {
        path: CONFIG_FILE,
        note: 'the typed config, beside the Kptfile (local config: kpt does not deploy it)',
        text: localConfig(ctx.spec),
      },
      {
        path: '.github/workflows/sidecar-check.yaml',
        note: 'CI: render, and fail when the committed manifests are not what the pipeline writes',
        text: workflow(
          'sidecar-check',
          ['push', 'pull_request'],
          [INSTALL_KPT, { name: 'Render, and fail on drift', run: 'kpt fn render && git diff --exit-code' }],
        ),
      },
    ]),
  kustomize: (ctx) =>
    withImage(functionImage(ctx.registry), (image) => [
      ...install({ image }),
      kustomization(ctx, 'your kustomization, listing the transformer'),
      transformer(ctx, image),
      {
        path: 'build.sh',
        note:
          'kustomize runs the image with `docker run` (Docker, or podman behind a docker command), only with ' +
          '--enable-alpha-plugins: without it the build fails with "external plugins disabled"',
        text: lines('kubectl kustomize --enable-alpha-plugins .'),
      },
    ]),
  helm: (ctx) => [
    ...install({ cli: true }),
    {
      path: 'sidecar-injector-post-render.sh',
      note: 'Helm 3: helm install/upgrade --post-renderer ./sidecar-injector-post-render.sh (make it executable)',
      text: lines(
        '#!/bin/sh',
        '# Helm pipes the rendered chart in; the injected manifests come out.',
        `exec ${NAME} inject --annotated --config ${CONFIG_FILE}`,
      ),
    },
    { path: CONFIG_FILE, note: 'the config the post-renderer reads, beside it', text: localConfig(ctx.spec) },
    {
      path: 'helm.sh',
      note: 'install the chart with the sidecar injected (Helm 4 takes a plugin; the package ships one)',
      text: lines(
        '# Helm 3',
        'helm upgrade --install app . --post-renderer ./sidecar-injector-post-render.sh',
        '# Helm 4',
        `helm plugin install "$(npm root -g)/${NAME}/helm/${NAME}"`,
        `helm upgrade --install app . --post-renderer ${NAME} --post-renderer-args=--config=${CONFIG_FILE}`,
      ),
    },
  ],
  kubectl: (ctx) => [
    ...install({ cli: true }),
    { path: CONFIG_FILE, note: 'the config; inject, then apply the changed manifests', text: localConfig(ctx.spec) },
    {
      path: 'deploy.sh',
      note: 'inject in place, then apply',
      text: lines(
        '#!/bin/sh',
        'set -e',
        `${NAME} inject --annotated --config ${CONFIG_FILE} --in-place ${manifests(ctx.paths).map(shellPath).join(' ')}`,
        `kubectl apply ${manifests(ctx.paths)
          .map((p) => `-f ${shellPath(p)}`)
          .join(' ')}`,
      ),
    },
    checkWorkflow(),
  ],
  argocd: (ctx) =>
    withImage(cmpImage(ctx.registry), (image) => {
      const source = sourceOf(ctx.paths);
      return [
        ...install({ cmp: { image, source } }),
        {
          path: CONFIG_FILE,
          note: `beside the application's ${SOURCE_FILE[source]}: the plugin discovers it`,
          text: localConfig(ctx.spec),
        },
        {
          path: 'Dockerfile.argocd-cmp',
          note: "the plugin's sidecar image, built by install.sh",
          text: cmpDockerfile(source),
        },
        {
          path: 'argocd-repo-server-patch.yaml',
          note: 'kubectl -n argocd patch deployment argocd-repo-server --patch-file argocd-repo-server-patch.yaml',
          text: repoServerPatch(image),
        },
        {
          path: 'application-plugin.yaml',
          note: "in your Application's spec.source, beside repoURL and path: the plugin renders it",
          text: toYaml({ plugin: { name: ARGOCD_PLUGIN } }),
        },
      ];
    }),
  flux: (ctx) =>
    withImage(functionImage(ctx.registry), (image) => [
      ...install({ image }),
      kustomization(ctx, 'render in CI: Flux runs no kustomize plugins'),
      transformer(ctx, image),
      {
        path: '.github/workflows/render.yaml',
        note: 'render and commit (docker and kubectl are on the runner)',
        text: workflow(
          'render',
          { push: { branches: ['main'] } },
          [
            {
              name: 'Render and commit',
              run: lines(
                'set -euo pipefail',
                'mkdir -p deploy/rendered',
                'kubectl kustomize --enable-alpha-plugins . > deploy/rendered/all.yaml',
                'git add deploy/rendered',
                'git -c user.name=ci -c user.email=ci@localhost commit -m "Render" || true',
                'git push',
              ),
            },
          ],
          { contents: 'write' },
        ),
      },
      {
        path: 'flux-kustomization.yaml',
        note: 'the Flux Kustomization applying what CI rendered',
        text: toYaml({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'app', namespace: 'flux-system' },
          spec: {
            interval: '10m',
            path: './deploy/rendered',
            prune: true,
            sourceRef: { kind: 'GitRepository', name: 'flux-system' },
          },
        }),
      },
    ]),
};

/** What Wire it in shows for the page's state: the tool (chosen, or the one the manifests show) and its files. */
export function wiringFor(
  state: WizardState,
  spec: Record<string, unknown>,
): { tool: Tool; detected: Tool; files: Files } {
  const paths = state.sources.map((s) => s.path);
  const detected = detectTool(paths);
  const tool = state.tool ?? detected;
  const own = state.sources.find((s) => KUSTOMIZATION_FILE.test(s.path));
  const kustomization = own && { name: own.path.slice(own.path.lastIndexOf('/') + 1), text: own.text };
  const kptfile = state.sources.find((s) => /(^|\/)Kptfile$/.test(s.path))?.text;
  const files = WIRING[tool]({
    spec,
    paths,
    ...(kustomization !== undefined && { kustomization }),
    ...(kptfile !== undefined && { kptfile }),
    ...(state.registry && { registry: state.registry }),
  });
  return { tool, detected, files };
}
