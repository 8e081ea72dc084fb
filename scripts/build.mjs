// Build: (1) precompile the config validators from schemas/ (ajv standalone code, so the bundle
// never loads ajv's compiler at start-up), (2) bundle fn/main.ts into one CommonJS file.
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
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
await build({
  entryPoints: [join(root, 'fn/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
