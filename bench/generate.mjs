// Generates the benchmark inputs: kpt-style ResourceLists of realistic Deployments.
//
// Output is deterministic (a seeded PRNG per item), so a file written by the same GENERATOR_VERSION is
// byte-identical and can be reused across runs. Bump GENERATOR_VERSION whenever the output changes.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const GENERATOR_VERSION = 2;

/**
 * Workloads shaped as people write them (flow labels, an init container, env, ports, flow resources,
 * comments), by what their annotation says. `block` is the half-annotated package with block labels, for
 * comparison with what the fast path has always read.
 */
export const VARIANTS = {
  half: 'half "true", half "false"',
  all: 'every Deployment "true"',
  none: 'no Deployment annotated',
  block: 'half "true", half "false", block labels',
};

/** Packages that are not generated Deployments (see packageText). */
export const PACKAGES = {
  empty: 'a ResourceList with no items: the function loaded and started, with nothing to do',
  pair: 'a ResourceList of two Deployments, one "true", one "false"',
  storefront: 'fixtures/storefront/release/storefront.yaml as a ResourceList',
};

// Small deterministic PRNG (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = [
  'orders',
  'payments',
  'catalog',
  'cart',
  'checkout',
  'shipping',
  'users',
  'search',
  'reviews',
  'inventory',
];
const TEAMS = ['shop', 'billing', 'platform', 'growth'];

/** What item `i` of `variant` says: `"true"`, `"false"` or nothing (undefined). */
export function annotation(variant, i) {
  if (variant === 'all' || variant === 'single') return 'true';
  if (variant === 'none') return undefined;
  return i % 2 === 0 ? 'true' : 'false';
}

/** Is item `i` of `variant` annotated with sidecar.speedscale.com/inject: "true"? */
export const isAnnotated = (variant, i) => annotation(variant, i) === 'true';

/** One Deployment as a compact sequence entry of `items:` (column 0 `- `), ending in a newline. */
export function deployment(variant, i) {
  const r = rng(i * 7919 + 17);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const svc = SERVICES[i % SERVICES.length];
  const team = pick(TEAMS);
  const tier = pick(['backend', 'frontend', 'worker']);
  const name = `${svc}-${String(i).padStart(4, '0')}`;
  const path = `${name}.yaml`;
  const says = annotation(variant, i);
  const block = variant === 'block';
  const twoContainers = i % 4 === 1;
  const java = i % 4 === 2;
  const port = pick([8080, 8000, 3000, 9000]);
  const version = `${1 + (i % 3)}.${i % 17}.${i % 29}`;
  const replicas = 1 + Math.floor(r() * 4);
  const labels = (pad) =>
    block
      ? [`${pad}labels:`, `${pad}  app: ${name}`, `${pad}  tier: "${tier}"`]
      : [`${pad}labels: {app: ${name}, tier: "${tier}"}`];
  const L = [];
  if (i % 4 === 0) L.push(`# ${name}: owned by ${team}`);
  L.push('- apiVersion: apps/v1', '  kind: Deployment', '  metadata:', `    name: ${name}`, `    namespace: ${team}`);
  L.push(...labels('    '), '    annotations:');
  if (says) L.push(`      sidecar.speedscale.com/inject: "${says}"${says === 'true' ? ' # for replay' : ''}`);
  else if (i % 4 === 1) L.push('      # sidecar.speedscale.com/inject: "true"');
  L.push(`      config.kubernetes.io/index: '0'`, `      config.kubernetes.io/path: '${path}'`);
  L.push(`      internal.config.kubernetes.io/index: '0'`, `      internal.config.kubernetes.io/path: '${path}'`);
  L.push('  spec:', `    replicas: ${replicas} # set by the HPA`);
  L.push('    selector:', `      matchLabels: {app: ${name}}`);
  L.push('    template:', '      metadata:', ...labels('        '));
  L.push('      spec:', '        initContainers:');
  L.push('        - name: migrate', `          image: ghcr.io/acme/${svc}-migrate:${version}`);
  L.push(`          args: ["--wait", "30s"]`);
  L.push('        containers:');
  L.push('        - name: app', `          image: ghcr.io/acme/${svc}:${version}`);
  L.push('          ports:', `          - containerPort: ${port}`, '            name: http', '          env:');
  if (java)
    L.push('          - name: JAVA_OPTS', '            value: >-', '              -Xms256m', '              -Xmx512m');
  else L.push('          - name: LOG_LEVEL', `            value: ${pick(['info', 'debug', 'warn'])}`);
  L.push('          - name: DB_HOST', `            value: "${svc}-db"`);
  L.push('          # sized from p95');
  L.push(
    '          resources:',
    `            requests: {cpu: ${pick([50, 100, 250])}m, memory: ${pick([64, 128, 256])}Mi}`,
    `            limits: {memory: ${pick([256, 512])}Mi}`,
  );
  L.push('          readinessProbe:', `            httpGet: {path: /healthz, port: ${port}}`);
  if (twoContainers) {
    L.push(
      '        - name: metrics',
      '          image: prom/statsd-exporter:v0.26.0',
      '          ports:',
      '          - containerPort: 9102',
    );
  }
  return L.join('\n') + '\n';
}

/** A document of a YAML stream as a compact `items:` entry: its head comments at column 0, the rest in by 2. */
function asItem(doc) {
  const lines = doc.replace(/\n+$/, '').split('\n');
  const first = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
  if (first === -1) return '';
  const head = lines.slice(0, first).filter((l) => l.trim() !== '');
  const body = lines.slice(first).map((l, k) => (k === 0 ? `- ${l}` : l === '' ? '' : `  ${l}`));
  return [...head, ...body].join('\n') + '\n';
}

/** The text of a named package (PACKAGES). */
function packageText(name) {
  const header = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';
  if (name === 'empty') return header.replace('items:', 'items: []');
  if (name === 'pair') return header + deployment('half', 0) + deployment('half', 1);
  const stream = readFileSync(join(ROOT, 'fixtures/storefront/release/storefront.yaml'), 'utf8');
  return (
    header +
    stream
      .split(/^---\n/m)
      .map(asItem)
      .join('')
  );
}

/** The workloads of a named package, and how many of them are annotated "true". */
export function packageCounts(name) {
  const text = packageText(name);
  return {
    count: (text.match(/^- /gm) ?? []).length,
    annotated: (text.match(/sidecar\.speedscale\.com\/inject: "true"/g) ?? []).length,
  };
}

/** The whole ResourceList text for `count` Deployments of `variant` (VARIANTS), or a named package (PACKAGES). */
export function resourceList(variant, count) {
  if (variant in PACKAGES) return packageText(variant);
  const parts = ['apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n'];
  for (let i = 0; i < count; i++) parts.push(deployment(variant, i));
  return parts.join('');
}

/** Path of an input in `dir`, generating it (atomically) unless a file of this generator version exists. */
export function ensureInput(dir, variant, count) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `input-g${GENERATOR_VERSION}-${variant}-${count}.yaml`);
  if (existsSync(file) && statSync(file).size > 0) return { file, generated: false };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, resourceList(variant, count));
  renameSync(tmp, file);
  return { file, generated: true };
}
