// Build: (1) precompile the config validators from schemas/ (ajv standalone code, so the bundle
// never loads ajv's compiler at start-up), (2) bundle fn/main.ts into one CommonJS file.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/sidecar-injector.v1alpha1.json'), 'utf8'));

function compile(options) {
  const ajv = new Ajv({ allErrors: true, code: { source: true }, ...options });
  for (const keyword of ['x-annotation', 'x-expected']) ajv.addKeyword(keyword);
  return standaloneCode(ajv, ajv.compile(schema));
}

const generated = join(root, 'fn/config/generated');
mkdirSync(generated, { recursive: true });
// typed: the SidecarInjector spec as written; coercing: ConfigMap data and annotations, where every value is a string.
writeFileSync(join(generated, 'validate-typed.js'), compile({}));
writeFileSync(join(generated, 'validate-coercing.js'), compile({ coerceTypes: true }));
const dts = `import type { ValidateFunction } from 'ajv';\ndeclare const validate: ValidateFunction;\nexport = validate;\n`;
writeFileSync(join(generated, 'validate-typed.d.ts'), dts);
writeFileSync(join(generated, 'validate-coercing.d.ts'), dts);

if (process.argv.includes('--validators-only')) process.exit(0);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'dist/sidecar-injector.js');
mkdirSync(dirname(outfile), { recursive: true });
const { outputFiles } = await build({
  entryPoints: [join(root, 'fn/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  write: false,
});

// (3) Start-up: the bundle ships with V8's code cache for it, made here by running it once on a typical input.
// Compiling ~250 kB of JavaScript afresh was a third of a small run; a node whose V8 rejects the cache
// (another version or flags) simply compiles the code as before.
const code = `(function (exports, require, module, __filename, __dirname) {${outputFiles[0].text}\n})`;
const trainer = `
  const { Script } = require('node:vm');
  const { readFileSync, writeFileSync } = require('node:fs');
  const script = new Script(readFileSync(process.env.CODE_FILE, 'utf8'), { filename: process.env.CODE_FILE });
  process.on('exit', () => writeFileSync(process.env.CACHE_FILE, script.createCachedData()));
  script.runInThisContext()(exports, require, module, __filename, __dirname);`;
// A typical run: a config, an annotated Deployment with comments and flow style, a resource left alone.
const TRAINING_INPUT = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web # the site
    annotations:
      sidecar.speedscale.com/inject: "true"
      internal.config.kubernetes.io/path: 'web.yaml'
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata:
        labels:
          app: web
      spec:
        initContainers:
        - name: migrate
          image: web-migrate:1
        containers:
        - name: web
          image: web:1
          ports:
          - containerPort: 8080
- apiVersion: v1
  kind: Service
  metadata:
    name: web
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: config
  data:
    image: gcr.io/speedscale/goproxy:v2.5.602
`;
const work = mkdtempSync(join(tmpdir(), 'sidecar-injector-build-'));
let cache;
try {
  const env = { ...process.env, CODE_FILE: join(work, 'code.js'), CACHE_FILE: join(work, 'cache.bin') };
  writeFileSync(env.CODE_FILE, code);
  execFileSync(process.execPath, ['-e', trainer], { env, input: TRAINING_INPUT, stdio: ['pipe', 'ignore', 'inherit'] });
  cache = readFileSync(env.CACHE_FILE);
} finally {
  rmSync(work, { recursive: true, force: true });
}
// The code and its cache ride in a comment at the end, read back as base64: V8 skips a comment far faster
// than it scans a string literal of the same size.
const payload = [Buffer.from(code).toString('base64'), cache.toString('base64')].join('\n');
writeFileSync(
  outfile,
  `#!/usr/bin/env node
// sidecar-injector ${pkg.version}: the bundle below, run from the V8 code cache built with it (scripts/build.mjs).
'use strict';
const file = require('node:fs').readFileSync(__filename, 'latin1');
const [code, cachedData] = file.slice(file.indexOf('\\n/*\\n') + 4, -4).split('\\n').map((part) => Buffer.from(part, 'base64'));
new (require('node:vm').Script)(code.toString(), { filename: __filename, cachedData }).runInThisContext()(exports, require, module, __filename, __dirname);
/*
${payload}
*/
`,
);
chmodSync(outfile, 0o755);
