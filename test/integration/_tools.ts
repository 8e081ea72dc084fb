/**
 * Shared plumbing of the integration suites (kpt, kustomize, podman). Not a test file: vitest only
 * collects `*.test.ts`.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundle under test. SIDECAR_INJECTOR_BUNDLE points the suites at another build (or a stand-in). */
export const bundlePath = resolve(process.env.SIDECAR_INJECTOR_BUNDLE ?? join(repoRoot, 'dist/sidecar-injector.js'));

export const SIDECAR = 'speedscale-goproxy';
export const INJECT_ANNOTATION = 'sidecar.speedscale.com/inject';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never throws on a non-zero exit. */
export function run(cmd: string, args: string[], options: SpawnSyncOptions & { input?: string } = {}): Run {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * run() without blocking: for the long commands (image builds). A test worker blocked for more than a
 * minute misses vitest's RPC deadline, which fails the run even when every test passes.
 */
export function runAsync(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** Like runAsync(), but rejects with the command's output when it fails. */
export async function mustAsync(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  const result = await runAsync(cmd, args, options);
  if (result.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

/** Like run(), but throws with the command's output when it fails. */
export function must(cmd: string, args: string[], options: SpawnSyncOptions & { input?: string } = {}): Run {
  const result = run(cmd, args, options);
  if (result.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

export function onPath(command: string): boolean {
  return run('sh', ['-c', 'command -v "$1"', 'sh', command]).status === 0;
}

/**
 * Why a suite cannot run here, or '' when it can; the caller passes it to describe.skipIf, and a skip is
 * printed. Under CI=true nothing skips: a missing tool there is an install step of .ci/run that failed,
 * so this throws while the file is collected and the suite fails, naming what is missing.
 */
export function unavailable(suite: string, reasons: (string | false | undefined)[]): string {
  const reason = reasons.filter(Boolean).join('; ');
  if (!reason) return '';
  if (process.env.CI === 'true')
    throw new Error(`${suite} cannot run under CI=true: ${reason}; .ci/run must install it`);
  console.warn(`[skipped] ${suite}: ${reason}`);
  return reason;
}

/** unavailable() for tools that must be on PATH, and other conditions as [absent, why]. */
export function missing(suite: string, tools: string[], extra: [boolean, string][] = []): string {
  const absent = tools.filter((tool) => !onPath(tool)).map((tool) => `${tool} is not installed`);
  return unavailable(suite, [...absent, ...extra.map(([gone, why]) => gone && why)]);
}

export function bundleMissing(): boolean {
  return !existsSync(bundlePath);
}

export const BUNDLE_HINT = `${bundlePath} does not exist (run npm run build)`;

/** A fresh temporary directory, with symlinks resolved so paths printed by tools match it. */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `sidecar-injector-${prefix}-`)));
}

/**
 * A kpt fixture (`fixtures/kpt/<case>/`) keeps its Kptfile as `Kptfile.fixture`: `kpt fn render` at the
 * repository root renders every directory below it that holds a `Kptfile` as a subpackage, whatever
 * .krmignore says, and would rewrite the fixtures in place.
 */
const FIXTURE_KPTFILE = 'Kptfile.fixture';

/** Copies a kpt fixture package to `dest`, giving its Kptfile back its name. */
export function copyFixture(source: string, dest: string) {
  cpSync(source, dest, { recursive: true });
  if (existsSync(join(dest, FIXTURE_KPTFILE))) renameSync(join(dest, FIXTURE_KPTFILE), join(dest, 'Kptfile'));
}

/** Kubernetes object as parsed from YAML, loosely typed for assertions. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export function objectId(o: KObject): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

interface Container {
  name: string;
}

/** Names of the containers and init containers of a workload's pod template. */
export function containerNames(o: KObject): { containers: string[]; initContainers: string[] } {
  const template = (o.kind === 'CronJob'
    ? ((o.spec?.jobTemplate as KObject | undefined)?.spec?.template as KObject | undefined)
    : (o.spec?.template as KObject | undefined)) ?? { spec: {} };
  const pod = (template.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  return {
    containers: (pod.containers ?? []).map((c) => c.name),
    initContainers: (pod.initContainers ?? []).map((c) => c.name),
  };
}

export function hasSidecar(o: KObject): boolean {
  const { containers, initContainers } = containerNames(o);
  return containers.includes(SIDECAR) || initContainers.includes(SIDECAR);
}

/** The suites' small sample: Deployment `web`, opted in, one container. */
export const WEB_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    sidecar.speedscale.com/inject: "true"
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

/** The same Deployment without the opt-in. */
export const PLAIN_WEB_DEPLOYMENT = WEB_DEPLOYMENT.replace(
  '  annotations:\n    sidecar.speedscale.com/inject: "true"\n',
  '',
);
