/**
 * "Wire it in": the exact files to add or change for the tool the manifests show, as one table keyed by
 * tool. Each generator is pure: the same choices give the same files, so a test can write them to disk
 * and run the real tool over them.
 */
import { CONFIG_API_VERSION, CONFIG_KIND, LOCAL_CONFIG_ANNOTATION, toYaml } from '../fn/index';
import type { Tool } from './state';

/** The published function image (docs/orchestrators.md: `example-org` stands for the real owner). */
export const FUNCTION_IMAGE = 'ghcr.io/example-org/sidecar-injector:v0.1.0';

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
  /** The user's kustomization.yaml, when they loaded one: changed, not replaced. */
  kustomization?: string;
  image?: string;
}

export const CONFIG_FILE = 'sidecar-injector.yaml';

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

function kustomization(ctx: WiringContext): string {
  if (ctx.kustomization !== undefined) {
    if (/^transformers:/m.test(ctx.kustomization))
      return ctx.kustomization.replace(/^transformers:[^\n]*\n/m, (line) => `${line}- ${CONFIG_FILE}\n`);
    return `${ctx.kustomization}${ctx.kustomization.endsWith('\n') ? '' : '\n'}transformers:\n- ${CONFIG_FILE}\n`;
  }
  const resources = ctx.paths.filter((p) => /\.(ya?ml|json)$/.test(p)).map((p) => `- ${p}`);
  return [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    ...resources,
    'transformers:',
    `- ${CONFIG_FILE}`,
    '',
  ].join('\n');
}

const transformer = (ctx: WiringContext): WiringFile => ({
  path: CONFIG_FILE,
  note: 'the SidecarInjector, run by kustomize as a container transformer',
  text: injectorConfig(ctx.spec, {
    'config.kubernetes.io/function': `container:\n  image: ${ctx.image ?? FUNCTION_IMAGE}\n`,
  }),
});

const checkStep = (command: string): WiringFile => ({
  path: '.github/workflows/sidecar-check.yaml',
  note: 'CI: fail the build when the committed manifests drift from what the function writes',
  text: [
    'name: sidecar-check',
    'on: [push, pull_request]',
    'jobs:',
    '  check:',
    '    runs-on: ubuntu-24.04',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '        with: {node-version: 20}',
    `      - run: ${command}`,
    '',
  ].join('\n'),
});

const CHECK = `npx sidecar-injector inject --annotated --config ${CONFIG_FILE} --check .`;

export const WIRING: Readonly<Record<Tool, (ctx: WiringContext) => WiringFile[]>> = {
  kpt: (ctx) => [
    {
      path: 'Kptfile',
      note: 'add this step to the pipeline of your Kptfile, then kpt fn render',
      text: [
        'pipeline:',
        '  mutators:',
        '    - name: inject-speedscale-sidecar',
        `      image: ${ctx.image ?? FUNCTION_IMAGE}`,
        `      configPath: ${CONFIG_FILE}`,
        '',
      ].join('\n'),
    },
    {
      path: CONFIG_FILE,
      note: 'the typed config, beside the Kptfile (local config: kpt does not deploy it)',
      text: localConfig(ctx.spec),
    },
    checkStep('kpt fn render && git diff --exit-code'),
  ],
  kustomize: (ctx) => [
    {
      path: 'kustomization.yaml',
      note: 'list the transformer; build with kubectl kustomize --enable-alpha-plugins',
      text: kustomization(ctx),
    },
    transformer(ctx),
  ],
  helm: (ctx) => [
    {
      path: 'sidecar-injector-post-render.sh',
      note:
        'helm install/upgrade --post-renderer ./sidecar-injector-post-render.sh (make it executable); the npm ' +
        'package also ships helm/sidecar-injector/post-render.sh, the same with a Helm 4 plugin beside it',
      text: [
        '#!/bin/sh',
        '# Helm pipes the rendered chart in; the injected manifests come out.',
        `exec npx sidecar-injector inject --annotated --config ${CONFIG_FILE}`,
        '',
      ].join('\n'),
    },
    { path: CONFIG_FILE, note: 'the config the post-renderer reads, beside it', text: localConfig(ctx.spec) },
  ],
  kubectl: (ctx) => [
    { path: CONFIG_FILE, note: 'the config; inject, then apply the changed manifests', text: localConfig(ctx.spec) },
    {
      path: 'deploy.sh',
      note: 'inject in place, then apply',
      text: [
        '#!/bin/sh',
        'set -e',
        `npx sidecar-injector inject --annotated --config ${CONFIG_FILE} --in-place ${ctx.paths.join(' ')}`,
        `kubectl apply -f ${ctx.paths.join(' -f ')}`,
        '',
      ].join('\n'),
    },
    checkStep(CHECK),
  ],
  argocd: (ctx) => [
    {
      path: CONFIG_FILE,
      note: "beside the application's kustomization.yaml: the config management plugin discovers it",
      text: localConfig(ctx.spec),
    },
    {
      path: 'plugin.yaml',
      note: 'the config management plugin on the repo-server (docs/orchestrators.md, Argo CD)',
      text: [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: ConfigManagementPlugin',
        'metadata:',
        '  name: sidecar-injector',
        'spec:',
        '  version: v1.0',
        '  discover:',
        `    fileName: ./${CONFIG_FILE}`,
        '  generate:',
        '    command: [bash, -c]',
        '    args:',
        `      - set -o pipefail; kustomize build . | kpt fn eval - --exec sidecar-injector --fn-config ${CONFIG_FILE} -o unwrap`,
        '',
      ].join('\n'),
    },
  ],
  flux: (ctx) => [
    { path: 'kustomization.yaml', note: 'render in CI: Flux runs no kustomize plugins', text: kustomization(ctx) },
    transformer(ctx),
    {
      path: '.github/workflows/render.yaml',
      note: 'render and commit; point the Flux Kustomization at deploy/rendered',
      text: [
        'name: render',
        'on: {push: {branches: [main]}}',
        'permissions: {contents: write}',
        'jobs:',
        '  render:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - run: |',
        '          set -euo pipefail',
        '          mkdir -p deploy/rendered',
        '          kubectl kustomize --enable-alpha-plugins . > deploy/rendered/all.yaml',
        '          git add deploy/rendered',
        '          git -c user.name=ci -c user.email=ci@localhost commit -m "Render" || true',
        '          git push',
        '',
      ].join('\n'),
    },
  ],
};

export interface VerifyContext {
  namespaces: string[];
  workloads: { kind: string; namespace: string; name: string }[];
}

/** What to run after deploying, filled in with the chosen namespaces and workloads. */
export function verifyCommands(ctx: VerifyContext): string[] {
  const namespaces = ctx.namespaces.length ? ctx.namespaces : ['default'];
  return [
    ...namespaces.map((ns) => `kubectl get pods -n ${ns} -l sidecar.speedscale.com/injected=true   # READY shows 2/2`),
    ...ctx.workloads.map(
      (w) =>
        `kubectl logs -n ${w.namespace || 'default'} ${w.kind.toLowerCase()}/${w.name} -c speedscale-goproxy --tail=20`,
    ),
    `npx sidecar-injector inject --annotated --config ${CONFIG_FILE} --check .   # CI drift gate: exit 1 on drift`,
  ];
}
