// The wizard page (web/): one self-contained dist/web/index.html, its script and styles inline, so it opens
// from disk (file:// blocks module imports from other files) and requests nothing. The same core as the
// bundle, built for the browser: the `yaml` ES module, the validators precompiled by build.mjs, no node: builtin.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The page's budget, core included, gzipped (issue 14). */
export const WEB_BUDGET = 350 * 1024;

export async function buildWeb(root, plugins) {
  const noNode = {
    name: 'no-node-builtins',
    setup(build) {
      build.onResolve({ filter: /^node:/ }, (args) => ({
        errors: [{ text: `${args.path} in the page (imported by ${args.importer}): the page runs in a browser` }],
      }));
    },
  };
  const { outputFiles } = await build({
    entryPoints: [join(root, 'web/main.ts')],
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    minify: !process.env.WEB_READABLE,
    legalComments: 'none',
    loader: { '.yaml': 'text', '.json': 'json' },
    // A browser has no process: an environment switch in the core reads as unset there.
    define: { 'process.env': '{}' },
    logLevel: 'warning',
    write: false,
    plugins: [...plugins, noNode],
  });
  const script = outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  const css = readFileSync(join(root, 'web/style.css'), 'utf8');
  // The page's one script is allowed by its hash, never by 'unsafe-inline': an injected inline script or
  // handler does not run. `wizard DIR` sends the same policy as a header (fn/cli/wizard-http.ts).
  const hash = createHash('sha256').update(script).digest('base64');
  const html = readFileSync(join(root, 'web/index.html'), 'utf8')
    .replace("'sha256-SCRIPT_HASH'", () => `'sha256-${hash}'`)
    .replace('<!-- style -->', () => `<style>\n${css}</style>`)
    .replace('<!-- script -->', () => `<script>${script}</script>`);
  const size = gzipSync(html, { level: 9 }).length;
  // A readable build (WEB_READABLE=1, for a profile) keeps its names: the budget is the minified page's.
  if (size > WEB_BUDGET && !process.env.WEB_READABLE)
    throw new Error(`dist/web/index.html is ${size} bytes gzipped: over the budget of ${WEB_BUDGET}`);
  mkdirSync(join(root, 'dist/web'), { recursive: true });
  writeFileSync(join(root, 'dist/web/index.html'), html);
  return { size };
}
