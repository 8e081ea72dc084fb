// Build: (1) precompile the config validators from schemas/ (ajv standalone code, so the bundle
// never loads ajv's compiler at start-up), (2) bundle fn/main.ts into one CommonJS script, (3) write it
// with V8's code cache for it to dist/sidecar-injector.bin, beside the loader dist/sidecar-injector.js.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/sidecar-injector.v1alpha1.json'), 'utf8'));

const MARKS = [
  ...new Set(
    [schema, ...Object.values(schema.properties)].flatMap((node) =>
      Object.keys(node).filter((k) => k.startsWith('x-')),
    ),
  ),
];

function compile(options) {
  const ajv = new Ajv({ allErrors: true, code: { source: true }, ...options });
  // The schema's own marks (x-annotation, x-group, ...) are data for the function, not validation keywords.
  for (const keyword of MARKS) ajv.addKeyword(keyword);
  return asLoader(standaloneCode(ajv, ajv.compile(schema)));
}

// ajv's code embeds the whole schema as an object literal and makes its patterns at its top level: 27 kB of
// literal built object by object and patterns syntax-checked as they are made, in every run, for each
// validator, used or not (a run with no functionConfig uses only the coercing one, for annotations). As
// written here, the module exports a function that makes the validator when called (fn/config/validate.ts
// calls it on first use), and the schema is the one module that fn/config/schema.ts reads too.
const SCHEMA_LITERAL = `const schema11 = ${JSON.stringify(schema)};`;
function asLoader(code) {
  const prologue = '"use strict";';
  if (!code.startsWith(prologue) || code.split(SCHEMA_LITERAL).length !== 2)
    throw new Error('ajv standalone code changed shape: see asLoader in scripts/build.mjs');
  const body = code.slice(prologue.length).replace(SCHEMA_LITERAL, '');
  return `${prologue}const schema11 = require("../../../schemas/sidecar-injector.v1alpha1.json");
module.exports = function load() {
const module = { exports: {} };
${body}
return module.exports;
};
`;
}

const generated = join(root, 'fn/config/generated');
mkdirSync(generated, { recursive: true });
// typed: the SidecarInjector spec as written; coercing: ConfigMap data and annotations, where every value is a string.
writeFileSync(join(generated, 'validate-typed.js'), compile({}));
writeFileSync(join(generated, 'validate-coercing.js'), compile({ coerceTypes: true }));
const dts = `import type { ValidateFunction } from 'ajv';\ndeclare const load: () => ValidateFunction;\nexport = load;\n`;
writeFileSync(join(generated, 'validate-typed.d.ts'), dts);
writeFileSync(join(generated, 'validate-coercing.d.ts'), dts);

if (process.argv.includes('--validators-only')) process.exit(0);

// `yaml` ships the same code twice: CommonJS for node, an ES module for everything else. The ES module
// bundles into plain functions in one scope; the CommonJS one is reached through a getter per property,
// which cost about a tenth of the time on large packages. It differs only in warning via console.warn
// (stderr either way).
const yamlAsModule = {
  name: 'yaml-as-module',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: join(root, 'node_modules/yaml/browser/index.js') }));
  },
};

// fn/yaml/nodes.ts asks a node `instanceof Scalar`: sound while a build holds one copy of `yaml`. The hook
// above takes the bare import only; a subpath (`yaml/util`) would bring in the CommonJS copy too, whose
// scalars are no instances of the other's Scalar. Each build is checked for it.
function oneYaml(text, what) {
  const copies = text.split('Symbol.for("yaml.scalar")').length - 1;
  if (copies !== 1)
    throw new Error(`${what} holds ${copies} copies of yaml, not one: see yamlAsModule in scripts/build.mjs`);
}

// JSON (the settings schema) as JSON.parse of a string: esbuild writes it as an object literal, which V8
// builds object by object at start-up, where JSON.parse reads the text at once.
const jsonAsParse = {
  name: 'json-as-parse',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, ({ path }) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'dist/sidecar-injector.js');
// The code and its cache, beside the loader (step 3).
const binfile = outfile.replace(/\.js$/, '.bin');
mkdirSync(dirname(outfile), { recursive: true });
const { outputFiles } = await build({
  entryPoints: [join(root, 'fn/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  plugins: [yamlAsModule, jsonAsParse],
});

// (3) Start-up: the bundle ships with V8's code cache for it, made here by running it once on a typical input.
// Compiling ~300 kB of JavaScript afresh was a third of a small run; a node whose V8 rejects the cache
// (another version or flags) simply compiles the code as before.
const code = `(function (exports, require, module, __filename, __dirname) {${outputFiles[0].text}\n})`;
oneYaml(code, 'the bundle');
const trainer = `
  const { Script } = require('node:vm');
  const { readFileSync, writeFileSync } = require('node:fs');
  // Named as at run time: functions restored from the cache keep the name they were compiled under.
  const script = new Script(readFileSync(process.env.CODE_FILE, 'utf8'), { filename: '${basename(binfile)}' });
  process.on('exit', () => writeFileSync(process.env.CACHE_FILE, script.createCachedData()));
  script.runInThisContext()(exports, require, module, __filename, __dirname);`;
// A typical run: a config, an annotated Deployment with comments and flow style (its labels, where the
// injected label goes, and a probe), one annotated "false", a resource left alone. What it leaves out is
// compiled when first run: the functions of flow labels and of a "false" workload, left out before, were
// 1.6 M instructions of a run of two workloads.
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
        labels: {app: web, tier: "frontend"}
      spec:
        initContainers:
        - name: migrate
          image: web-migrate:1
        containers:
        - name: web
          image: web:1
          ports:
          - containerPort: 8080
            name: http
          readinessProbe:
            httpGet: {path: /healthz, port: http}
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: batch
    annotations:
      sidecar.speedscale.com/inject: "false"
  spec:
    template:
      spec:
        containers:
        - name: batch
          image: batch:1
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
// Two files: a small loader (the bin) and the code with its cache beside it, [u32 LE code length][code][cache].
// One read of raw bytes, no decoding: node reads a script as UTF-8 and a large one costs a read and a decode
// more than this. The code is pure ASCII (esbuild escapes the rest), so latin1 is its exact text.
if (/\P{ASCII}/u.test(code)) throw new Error('the bundle is not pure ASCII: the loader reads it as latin1');
const header = Buffer.alloc(4);
header.writeUInt32LE(code.length);
writeFileSync(binfile, Buffer.concat([header, Buffer.from(code, 'latin1'), cache]));
writeFileSync(
  outfile,
  `#!/usr/bin/env node
// sidecar-injector ${pkg.version}: loads the bundle and its V8 code cache from ${basename(binfile)} (scripts/build.mjs).
'use strict';
const bin = require('node:path').join(__dirname, '${basename(binfile)}');
let file;
try {
  file = require('node:fs').readFileSync(bin);
} catch (error) {
  process.stderr.write(\`sidecar-injector: cannot read \${bin} (it ships beside this file): \${error.message}\\n\`);
  process.exit(1);
}
const end = 4 + file.readUInt32LE(0);
new (require('node:vm').Script)(file.latin1Slice(4, end), { filename: bin, cachedData: file.subarray(end) })
  .runInThisContext()(exports, require, module, __filename, __dirname);
`,
);
chmodSync(outfile, 0o755);

// (4) The wizard page (scripts/build-web.mjs), with the same `yaml` as the bundle. The function image's build
// copies neither web/ nor that script (the image serves no page): there, this step is skipped.
if (existsSync(join(root, 'web/main.ts'))) {
  const { buildWeb } = await import('./build-web.mjs');
  await buildWeb(root, [yamlAsModule]);
  oneYaml(readFileSync(join(root, 'dist/web/index.html'), 'utf8'), 'dist/web/index.html');
}
