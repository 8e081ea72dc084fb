// `npm run demo` (root and podman): bundles test/integration/runtime/demo.ts, which uses the runtime suite's
// harness, into a temporary file and runs it. import.meta.url is pinned to the harness's own place, so the
// bundle finds the repository wherever it is written.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'sidecar-injector-demo-'));
const outfile = join(dir, 'demo.mjs');
try {
  await build({
    entryPoints: [join(root, 'test/integration/runtime/demo.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'test/integration/_tools.ts')).href) },
    // yaml and ajv bundled as CommonJS call require().
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
