// Generates the benchmark inputs: kpt-style ResourceLists of realistic Deployments.
//
// Output is deterministic (a seeded PRNG per item), so a file written by the same GENERATOR_VERSION is
// byte-identical and can be reused across runs. Bump GENERATOR_VERSION whenever the output changes.
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GENERATOR_VERSION = 1;

export const VARIANTS = {
  all: 'every Deployment annotated',
  none: 'no Deployment annotated',
  mixed: 'half annotated, extra comments',
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

/** Is item `i` of `variant` annotated with sidecar.speedscale.com/inject: "true"? */
export function isAnnotated(variant, i) {
  if (variant === 'all' || variant === 'single') return true;
  if (variant === 'none') return false;
  return i % 2 === 0;
}

/** One Deployment as a compact sequence entry of `items:` (column 0 `- `), ending in a newline. */
export function deployment(variant, i) {
  const r = rng(i * 7919 + 17);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const svc = SERVICES[i % SERVICES.length];
  const team = pick(TEAMS);
  const name = `${svc}-${String(i).padStart(4, '0')}`;
  const path = `${name}.yaml`;
  const mixed = variant === 'mixed';
  const annotated = isAnnotated(variant, i);
  const twoContainers = i % 4 === 1;
  const java = i % 4 === 2;
  const port = pick([8080, 8000, 3000, 9000]);
  const version = `${1 + (i % 3)}.${i % 17}.${i % 29}`;
  const replicas = 1 + Math.floor(r() * 4);
  const L = [];
  if (mixed && i % 4 === 0) L.push(`# ${name}: owned by ${team}`);
  L.push('- apiVersion: apps/v1', '  kind: Deployment', '  metadata:', `    name: ${name}`);
  L.push('    labels:', `      app: ${name}`, '    annotations:');
  if (annotated) L.push(`      sidecar.speedscale.com/inject: "true"${mixed ? ' # for replay' : ''}`);
  else if (mixed && i % 4 === 1) L.push('      # sidecar.speedscale.com/inject: "true"');
  L.push(`      config.kubernetes.io/index: '0'`, `      config.kubernetes.io/path: '${path}'`);
  L.push(`      internal.config.kubernetes.io/index: '0'`, `      internal.config.kubernetes.io/path: '${path}'`);
  L.push('  spec:', `    replicas: ${replicas} # set by the HPA`);
  L.push('    selector:', '      matchLabels:', `        app: ${name}`);
  L.push('    template:', '      metadata:', '        labels:', `          app: ${name}`);
  L.push('      spec:', '        containers:');
  L.push('        - name: app', `          image: ghcr.io/acme/${svc}:${version}`);
  L.push('          ports:', `          - containerPort: ${port}`, '          env:');
  if (java)
    L.push('          - name: JAVA_OPTS', '            value: >-', '              -Xms256m', '              -Xmx512m');
  else L.push('          - name: LOG_LEVEL', `            value: ${pick(['info', 'debug', 'warn'])}`);
  if (mixed) L.push('          # sized from p95');
  L.push(
    '          resources:',
    `            requests: {cpu: ${pick([50, 100, 250])}m, memory: ${pick([64, 128, 256])}Mi}`,
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

/** The whole ResourceList text for `count` Deployments of `variant` ('all' | 'none' | 'mixed' | 'single'). */
export function resourceList(variant, count) {
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
