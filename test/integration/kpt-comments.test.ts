/**
 * Comments under real kpt (issue 21, item 9). kpt reads a function's output with kyaml (yaml.v3), which
 * attaches each comment to a node, and copies the input's comments back onto the output by path: a comment
 * our edit left attached to another node is written twice, and once more on every render. So: annotated
 * packages with comments around every place the function edits (the end of a document, between and after
 * containers, at column 0 inside a list, before and after each edit point, one line, two, after a blank
 * line; compact and wide lists) run three times through `kpt fn eval --exec` and `kpt fn render` with the
 * function, and with `cat`, the identity (kyaml itself doubles some comments, so the identity is the
 * measure, pass for pass); then `"false"` on the function's result must give what the identity gives for
 * the package with `"false"`. Every shape is one file of one package, so each pass is one kpt run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_HINT, bundleMissing, bundlePath, missing, must, mustAsync, tempDir } from './_tools';

const reason = missing('kpt comments', ['kpt'], [[bundleMissing(), BUNDLE_HINT]]);

interface Options {
  wide?: boolean;
  init?: boolean;
  volumes?: boolean;
  env?: boolean;
  templateMeta?: boolean;
}

/** A Deployment with `@NAME` lines where comments go (each removed unless chosen). */
function deployment({ wide = false, init = false, volumes = false, env = false, templateMeta = true }: Options) {
  const d = wide ? '  ' : '';
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: hello',
    '  annotations:',
    '    sidecar.speedscale.com/inject: "true"',
    '@ANNOTATIONS',
    'spec:',
    '  replicas: 1',
    '  template:',
    ...(templateMeta ? ['    metadata:', '      labels:', '        app: hello', '@LABELS'] : []),
    '    spec:',
    ...(init ? ['      initContainers:', `      ${d}- name: init`, `      ${d}  image: busybox`, '@INIT'] : []),
    '      containers:',
    `      ${d}- name: hello`,
    `      ${d}  image: nginx`,
    ...(env ? [`      ${d}  env:`, `      ${d}  ${d}- name: A`, `      ${d}  ${d}  value: b`, '@ENV'] : []),
    '@BETWEEN',
    `      ${d}- name: two`,
    `      ${d}  image: redis`,
    '@CONTAINERS',
    ...(volumes ? ['      volumes:', `      ${d}- name: v`, `      ${d}  emptyDir: {}`, '@VOLUMES'] : []),
    '@END',
  ].join('\n');
}

const VARIANTS: Record<string, Options> = {
  plain: {},
  wide: { wide: true },
  all: { init: true, volumes: true, env: true },
  'all-wide': { init: true, volumes: true, env: true, wide: true },
  'no-template-metadata': { templateMeta: false },
};
const FORMS = {
  one: (at: string) => `${at}# X1`,
  two: (at: string) => `${at}# X1\n${at}# X2`,
  blank: (at: string) => `\n${at}# X1`,
};

/** Every variant, comment point, column and form: name -> file text. */
function shapes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [variant, options] of Object.entries(VARIANTS)) {
    const base = deployment(options);
    for (const point of [...base.matchAll(/^@(\w+)$/gm)].map((m) => m[1]))
      for (const column of [0, 2, 4, 6, 8, 10])
        for (const [form, comment] of Object.entries(FORMS))
          out[`${variant}-${point.toLowerCase()}-c${column}-${form}`] = `${base
            .replace(`@${point}`, comment(' '.repeat(column)))
            .replace(/^@\w+\n?/gm, '')}\n`;
  }
  // Keys Helm leaves empty, filled in place (no comment: what kpt does with a fill alone).
  out['null-keys'] = deployment({ init: true, volumes: true })
    .replace('  annotations:\n', '  labels:\n  annotations:\n')
    .replace(/^@\w+\n?/gm, '')
    .replace('      labels:\n        app: hello\n', '      labels:\n        app: hello\n      annotations: ~\n');
  out['multi-document'] = `${out['plain-end-c0-one']}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n# X2\n`;
  return out;
}

const SHAPES = shapes();
const OFF = (text: string) => text.replace('inject: "true"', 'inject: "false"');
const copies = (text: string) => (text.match(/# X\d/g) ?? []).length;

describe.skipIf(reason)('comments under kpt: as many as the identity function leaves, pass for pass', () => {
  const work = tempDir('kpt-comments');
  afterAll(() => must('rm', ['-rf', work]));
  const cat = join(work, 'cat.sh');
  writeFileSync(cat, '#!/bin/sh\nexec cat\n', { mode: 0o755 });

  /** A package of every shape (`transform`ed), with a Kptfile whose pipeline, for render, runs `exec`. */
  function pkg(name: string, exec: string, transform = (t: string) => t): string {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'Kptfile'),
      `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: ${name}\n  annotations:\n` +
        `    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n    - exec: ${exec}\n`,
    );
    for (const [shape, text] of Object.entries(SHAPES)) writeFileSync(join(dir, `${shape}.yaml`), transform(text));
    return dir;
  }
  const files = (dir: string) =>
    Object.fromEntries(Object.keys(SHAPES).map((s) => [s, readFileSync(join(dir, `${s}.yaml`), 'utf8')]));
  /** `count` kpt runs over `dir`, the files after each; without blocking (a worker blocked for a minute misses vitest's RPC). */
  async function passes(dir: string, command: string[], count: number): Promise<Record<string, string>[]> {
    const out: Record<string, string>[] = [];
    for (let i = 0; i < count; i++) {
      await mustAsync('kpt', [...command, dir], { cwd: work });
      out.push(files(dir));
    }
    return out;
  }

  /** Shapes whose comment count differs from the identity's in some pass: `shape: identity vs function`. */
  function differences(identity: Record<string, string>[], fn: Record<string, string>[]): string[] {
    return Object.keys(SHAPES).flatMap((s) => {
      const a = identity.map((p) => copies(p[s]));
      const b = fn.map((p) => copies(p[s]));
      return a.join() === b.join() ? [] : [`${s}: ${a.join(',')} vs ${b.join(',')}`];
    });
  }

  for (const mode of ['eval', 'render'] as const) {
    const command = (exec: string) =>
      mode === 'eval' ? ['fn', 'eval', '--exec', exec] : ['fn', 'render', '--allow-exec'];

    it(`kpt fn ${mode}, three times: no comment gains a copy; "false" then gives the identity's result`, async () => {
      const identityDir = pkg(`${mode}-cat`, cat);
      const fnDir = pkg(`${mode}-fn`, bundlePath);
      const identity = await passes(identityDir, command(cat), 3);
      const fn = await passes(fnDir, command(bundlePath), 3);
      expect(differences(identity, fn)).toEqual([]);
      // Every annotated shape was injected, and stays so.
      for (const [s, text] of Object.entries(fn[2])) expect(text, s).toContain('speedscale-goproxy');

      for (const [s, text] of Object.entries(fn[2])) writeFileSync(join(fnDir, `${s}.yaml`), OFF(text));
      const [removed] = await passes(fnDir, command(bundlePath), 1);
      const [plain] = await passes(pkg(`${mode}-off-cat`, cat, OFF), command(cat), 1);
      const unequal = Object.keys(SHAPES).filter((s) => removed[s] !== plain[s]);
      expect(unequal, unequal.map((s) => `${s}:\n${removed[s]}\n--- the identity:\n${plain[s]}`).join('\n')).toEqual(
        [],
      );
    }, 600_000);
  }
});
