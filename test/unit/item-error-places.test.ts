/**
 * Every error about one item names its place: the KRM function's `item N (line L, column C)`, the command
 * line's `file:line:col`. An alias points at the alias that fails, not at the start of its item or document.
 */
import { describe, expect, it } from 'vitest';
import { cli, type Io } from '../../fn/cli/cli';
import { run } from '../../fn/krm/run';
import { parseList } from '../support/differential-oracle';

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';
const ON = 'sidecar.speedscale.com/inject: "true"';
const configMap = (name: string, annotations: string, data = '') =>
  `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: ${name}\n    annotations:\n      ${annotations}\n${data}`;

const messages = (input: string) => {
  const out = run(input);
  expect(out.exitCode).toBe(1);
  expect(out.stdout.startsWith(input)).toBe(true);
  return parseList(out.stdout).results.map((r) => r.message);
};

describe('the KRM function: an item error gives its line and column', () => {
  it("but not for input rewritten as block YAML first (flow style, JSON), whose lines are not the input's", () => {
    const out = run('{apiVersion: config.kubernetes.io/v1, kind: ResourceList, items: [1, x]}\n');
    expect(out.exitCode).toBe(1);
    expect(parseList(out.stdout).results.map((r) => r.message.split(':')[0])).toEqual(['item 0', 'item 1']);
  });

  // The alias is on line 16 (the second item's last annotation), column 10 in `      x: *nope`.
  it.each([
    ['asks for injection', `${ON}\n      x: *nope`],
    ['is not parsed otherwise', `y: z\n      x: *nope`],
  ])('an alias that names no anchor, in an item that %s: at the alias', (_name, annotations) => {
    const input = HEAD + configMap('a', 'y: z') + configMap('b', annotations);
    expect(messages(input)).toEqual([
      'item 1 (line 16, column 10): malformed YAML: Unresolved alias (the anchor must be set before the alias): nope',
    ]);
  });

  it('an alias naming an anchor set in an earlier item is no error: the items are one YAML document', () => {
    const input = `${HEAD}${configMap('a', 'y: z', '  data: &common\n    LOG: info\n')}${configMap('b', 'y: z', '  data: *common\n')}`;
    const out = run(input);
    expect(out.exitCode).toBe(0);
    expect(parseList(out.stdout).results).toEqual([]);
  });

  it('an alias bomb: at the alias whose expansion goes beyond the limit', () => {
    const data =
      '  data:\n' +
      '    a: &a [x, x, x, x, x, x, x, x, x, x]\n' +
      '    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n' +
      '    c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
    const [message] = messages(HEAD + configMap('a', ON, data));
    // Line 13, the line of `c`: an alias there (the one where `yaml`'s count passes 100), not the item's start.
    expect(message).toMatch(/^item 0 \(line 13, column \d+\): malformed YAML: Excessive alias count/);
    const column = Number(/column (\d+)/.exec(message)![1]);
    expect('    c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]'.slice(column - 1)).toMatch(/^\*b/);
  });

  it('input nested too deeply: at the bracket one level beyond the limit', () => {
    const data = `  data:\n    a: ${'['.repeat(1100)}${']'.repeat(1100)}\n`;
    expect(messages(HEAD + configMap('a', ON, data))).toEqual([
      'item 0 (line 11, column 1008): input is nested too deeply to read',
    ]);
  });
});

describe("the KRM function's stderr: each error line names the resource as the command line does", () => {
  it("with its namespace and, when kpt gives one, its file: two overlays' web are told apart", () => {
    const web = (namespace: string) =>
      `- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n    namespace: ${namespace}\n` +
      `    annotations:\n      ${ON}\n      sidecar.speedscale.com/proxy-in-port: "70000"\n` +
      `      internal.config.kubernetes.io/path: ${namespace}/web.yaml\n` +
      '  spec:\n    template: {spec: {containers: [{name: app, image: nginx}]}}\n';
    const out = run(HEAD + web('dev') + web('prod'));
    const message = 'sidecar.speedscale.com/proxy-in-port: expected a port number from 1 to 65535, got "70000"';
    expect(out.stderr).toBe(
      `sidecar-injector: dev/web.yaml: Deployment/web in dev: ${message}\n` +
        `sidecar-injector: prod/web.yaml: Deployment/web in prod: ${message}\n`,
    );
  });

  it('a line feed in a name or a path is escaped: one error, one line', () => {
    const item =
      '- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n    namespace: "a\\nb"\n' +
      `    annotations:\n      ${ON}\n      sidecar.speedscale.com/proxy-in-port: "70000"\n` +
      '      internal.config.kubernetes.io/path: "k8s/we\\nb.yaml"\n' +
      '  spec:\n    template: {spec: {containers: [{name: app, image: nginx}]}}\n';
    expect(run(HEAD + item).stderr).toBe(
      'sidecar-injector: k8s/we\\nb.yaml: Deployment/web in a\\nb: sidecar.speedscale.com/proxy-in-port: ' +
        'expected a port number from 1 to 65535, got "70000"\n',
    );
  });
});

describe('the command line: a document error is at what fails, not at the document start', () => {
  const report = (text: string) => {
    let stderr = '';
    const io: Io = {
      readStdin: () => Buffer.from(text),
      stdinIsTTY: false,
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
    };
    expect(cli(['inject'], io)).toBe(1);
    return stderr;
  };
  const first = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n';

  it('an alias that names no anchor, in the second document: at the alias', () => {
    const second = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations:\n    a: &a x\n    x: *nope\n';
    expect(report(first + second)).toContain(
      '<stdin>:12:8: document 2: error: malformed YAML: Unresolved alias (the anchor must be set before the alias): nope',
    );
  });

  it('a byte order mark opening the file is no column: the same place as without it', () => {
    const broken = 'metadata: {name: [x}\n';
    const place = (text: string) => /^<stdin>:(\d+:\d+):/.exec(report(text))![1];
    expect(place(`\uFEFF${broken}`)).toBe(place(broken));
    expect(place(broken)).toBe('1:20');
  });

  it('input nested too deeply: at the bracket one level beyond the limit', () => {
    const second = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  a: ${'['.repeat(1100)}${']'.repeat(1100)}\n`;
    expect(report(first + second)).toContain('<stdin>:11:1006: document 2: error: input is nested too deeply to read');
  });
});
