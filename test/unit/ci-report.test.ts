/**
 * Results point at the line and column of the field they name, in the FILE (a document's offset in the
 * stream, a List item's in its List, the field's in the item), and the CI reports carry them: `--report
 * github` as workflow commands, `--report sarif` as a SARIF 2.1.0 log that validates against the schema.
 * The schema (draft-04) is test/schemas/sarif-2.1.0-rtm.5.json, as the npm package @microsoft/jest-sarif
 * 1.0.0-beta.0 ships it (lib/schemas/); 2.1.0-rtm.5 is the schema of the SARIF 2.1.0 standard.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, type Io } from '../../fn/cli/cli';
import { ROOT } from '../support/helpers';

const dir = mkdtempSync(join(tmpdir(), 'sidecar-injector-ci-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { stdout: string; stderr: string; exitCode: number } {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    readStdin: () => Buffer.from(''),
    stdinIsTTY: true,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  };
  const exitCode = cli(args, io);
  return { stdout, stderr, exitCode };
}

/** What Helm renders: `# Source:` comments, an empty document, a List, a trailing `---`. */
const RENDERED = `---
# Source: shop/templates/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
# Source: shop/templates/empty.yaml
---
# Source: shop/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    sidecar.speedscale.com/inject: "true"
    sidecar.speedscale.com/proxy-in-port: "70000"
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: listed
      annotations:
        sidecar.speedscale.com/inject: "true"
    spec:
      template:
        spec:
          hostNetwork: true
          containers:
            - name: web
              image: nginx:1.27
---
`;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The text at a line and column of a file (both from 1). */
function at(path: string, line: number, column: number): string {
  return readFileSync(path, 'utf8')
    .split('\n')
    [line - 1].slice(column - 1);
}

interface JsonReport {
  resources: {
    kind: string;
    name: string;
    line?: number;
    column?: number;
    results: { severity: string; field?: { path: string }; line?: number; column?: number }[];
  }[];
}

describe('results carry the line and column of their field, in the file', () => {
  const path = file('rendered.yaml', RENDERED);

  it('json: each located result, and its resource, with the file position', () => {
    const { stderr, exitCode } = run(['inject', '--annotated', '--report', 'json', path]);
    expect(exitCode).toBe(1);
    const { resources } = JSON.parse(stderr) as JsonReport;
    const web = resources.find((r) => r.name === 'web')!;
    const [bad] = web.results;
    expect(bad.field!.path).toBe('metadata.annotations["sidecar.speedscale.com/proxy-in-port"]');
    expect(at(path, bad.line!, bad.column!)).toBe('sidecar.speedscale.com/proxy-in-port: "70000"');
    expect(at(path, web.line!, web.column!)).toBe('apiVersion: apps/v1');
    // A List item: its offset in the List, the List's in the stream.
    const listed = resources.find((r) => r.name === 'listed')!;
    const [hostNetwork] = listed.results;
    expect(hostNetwork.field!.path).toBe('spec.template.spec.hostNetwork');
    expect(at(path, hostNetwork.line!, hostNetwork.column!)).toBe('hostNetwork: true');
    expect(at(path, listed.line!, listed.column!)).toBe('apiVersion: apps/v1');
    // Nothing to point at: not located.
    expect(resources.find((r) => r.name === 'settings')!.line).toBeUndefined();
  });

  it('text: file:line:col on the lines that have a finding, as compilers write them', () => {
    const { stderr } = run(['inject', '--annotated', path]);
    const { resources } = JSON.parse(run(['inject', '--annotated', '--report', 'json', path]).stderr) as JsonReport;
    const bad = resources.find((r) => r.name === 'web')!.results[0];
    expect(stderr).toContain(
      `${path}:${bad.line}:${bad.column}: Deployment/web: error: sidecar.speedscale.com/proxy-in-port`,
    );
    expect(stderr).toContain(`${path}: ConfigMap/settings: skipped`);
  });

  it('text: a warning on a workload already injected is said on its line, as when it was injected', () => {
    const warned = file(
      'warned.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: warned
  annotations:
    sidecar.speedscale.com/inject: "true"
    sidecar.speedscale.com/proxy-protocol: socks5
spec:
  selector: {matchLabels: {app: warned}}
  template:
    metadata: {labels: {app: warned}}
    spec:
      containers: [{name: app, image: app:1}]
`,
    );
    const warning = 'proxy-protocol does not apply to proxy type "transparent"; ignored';
    const first = run(['inject', '--annotated', '-i', warned]);
    expect(first.stderr).toContain(
      `${warned}:7:5: Deployment/warned: injected: sidecar.speedscale.com/proxy-protocol: ${warning}`,
    );
    const again = run(['inject', '--annotated', warned]);
    expect(again.stderr).toContain(
      `${warned}:7:5: Deployment/warned: unchanged: already injected; sidecar.speedscale.com/proxy-protocol: ${warning}`,
    );
  });

  it('a field absent from the resource points at the deepest part that is there', () => {
    const text = RENDERED.replace('    sidecar.speedscale.com/proxy-in-port: "70000"\n', '');
    const drifted = file('drift.yaml', text);
    const { stderr, exitCode } = run(['inject', '--annotated', '--check', '--report', 'json', drifted]);
    expect(exitCode).toBe(1);
    const web = (JSON.parse(stderr) as JsonReport).resources.find((r) => r.name === 'web')!;
    // Drift names no field: the resource's own first line.
    expect(at(drifted, web.line!, web.column!)).toBe('apiVersion: apps/v1');
  });

  it('JSON input is edited as data: no position, and the report says nothing false', () => {
    const annotations = { 'sidecar.speedscale.com/inject': 'true', 'sidecar.speedscale.com/proxy-in-port': '0' };
    const pod = { containers: [{ name: 'a', image: 'b' }] };
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'j', annotations } };
    const json = file('web.json', `${JSON.stringify({ ...deployment, spec: { template: { spec: pod } } }, null, 2)}\n`);
    const { resources } = JSON.parse(run(['inject', '--report', 'json', json]).stderr) as JsonReport;
    expect(resources[0].results[0].line).toBeUndefined();
    expect(resources[0].line).toBeUndefined();
  });
});

describe('--report github: workflow commands', () => {
  it('one ::error / ::warning per finding, with file, line, col and a title', () => {
    const path = file('rendered.yaml', RENDERED);
    const { stderr, exitCode } = run(['inject', '--annotated', '--report', 'github', path]);
    expect(exitCode).toBe(1);
    const commands = stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(2);
    const parsed = commands.map((c) => /^::(\w+) ([^:]*)::(.*)$/.exec(c)!);
    const props = parsed.map(([, , p]) =>
      Object.fromEntries(p.split(',').map((kv) => kv.split('=') as [string, string])),
    );
    expect(parsed.map(([, level]) => level)).toEqual(['error', 'warning']);
    expect(props[0]).toMatchObject({ file: path, title: 'sidecar-injector%3A Deployment/web' });
    expect(at(path, Number(props[0].line), Number(props[0].col))).toMatch(/^sidecar\.speedscale\.com\/proxy-in-port:/);
    expect(at(path, Number(props[1].line), Number(props[1].col))).toBe('hostNetwork: true');
    expect(parsed[0][3]).toBe(
      'sidecar.speedscale.com/proxy-in-port: expected a port number from 1 to 65535, got "70000"',
    );
    // The count line stays, for the log.
    expect(stderr).toMatch(/^sidecar-injector: 3 resources: /m);
  });

  it('escapes what the runner would read as syntax, in properties and in the message', () => {
    const path = file('odd,name: 100%.yaml', 'apiVersion: v1\nkind: List\nitems: [\n');
    const { stderr } = run(['inject', '--report', 'github', '--quiet', path]);
    const [command] = stderr.split('\n');
    // At the error itself: the unclosed flow sequence runs to the end of the file (line 4).
    expect(command).toMatch(/^::error file=[^,]*odd%2Cname%3A 100%25\.yaml,line=4,col=1,title=/);
    expect(command.split('::')).toHaveLength(3);
  });

  it('drift under --check is an error annotation on the resource', () => {
    const path = file('plain.yaml', RENDERED.replace('    sidecar.speedscale.com/proxy-in-port: "70000"\n', ''));
    const { stderr } = run(['inject', '--annotated', '--check', '--report', 'github', '--quiet', path]);
    const commands = stderr.split('\n').filter((l) => l.startsWith('::error'));
    expect(commands.length).toBe(1);
    const line = Number(/,line=(\d+),/.exec(commands[0])![1]);
    expect(at(path, line, 1)).toBe('apiVersion: apps/v1');
    expect(commands[0]).toContain('::drift: not injected yet');
    // The text report's line points at the same place, as it does for every other error.
    const text = run(['inject', '--annotated', '--check', path]).stderr;
    expect(text).toContain(`${path}:${line}:1: Deployment/web: drift: not injected yet`);
  });
});

describe('--report text: one line per resource', () => {
  it('a line feed or a bidirectional override in a file or resource name is escaped, never a second line', () => {
    const path = file(
      'we\nb.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\\nb\\u202ec", namespace: "x\\ny"}\n',
    );
    const { stderr } = run(['inject', path]);
    expect(stderr.split('\n')).toEqual([
      `${path.replace('\n', '\\n')}: ConfigMap/a\\nb\\u202ec in x\\ny: skipped: not a workload (ConfigMap)`,
      'sidecar-injector: 1 resource: 1 skipped',
      '',
    ]);
  });
});

describe('--report sarif: a SARIF 2.1.0 log', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  // Without the u flag: the schema's `language` pattern has a stray `]`, which only non-unicode regexps accept.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // The schema's formats, as SARIF uses them (ajv checks none by itself).
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
  ajv.addFormat('uri-reference', /^\S*$/);
  ajv.addFormat('date-time', (text: string) => !Number.isNaN(Date.parse(text)));
  const validate = ajv.compile(schema);

  it('validates against the schema, with each finding located', () => {
    const path = file('rendered.yaml', RENDERED);
    const { stderr, exitCode } = run(['inject', '--annotated', '--report', 'sarif', path, join(dir, 'missing.yaml')]);
    expect(exitCode).toBe(1);
    const log = JSON.parse(stderr) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: {
            physicalLocation?: {
              artifactLocation: { uri: string };
              region?: { startLine: number; startColumn: number };
            };
          }[];
        }[];
      }[];
    };
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.version).toBe('2.1.0');
    const [runOf] = log.runs;
    expect(runOf.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['file-error', 'error'],
      ['invalid-setting', 'error'],
      ['host-network', 'warning'],
    ]);
    for (const r of runOf.results) expect(runOf.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const { physicalLocation } = runOf.results[1].locations[0];
    expect(physicalLocation!.artifactLocation.uri).toBe(`file://${path}`);
    const region = physicalLocation!.region!;
    expect(at(path, region.startLine, region.startColumn)).toMatch(/^sidecar\.speedscale\.com\/proxy-in-port:/);
  });

  it('a file name with #, ? or : is one path in the URI, never a fragment, a query or a scheme', () => {
    const path = file('a#b?c:d.yaml', RENDERED);
    const { stderr } = run(['inject', '--annotated', '--report', 'sarif', path]);
    const log = JSON.parse(stderr) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const { uri } = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    const url = new URL(uri);
    expect([url.protocol, url.hash, url.search]).toEqual(['file:', '', '']);
    expect(decodeURIComponent(url.pathname)).toBe(path);
  });

  it('an invalid log fails the schema (the validation is not vacuous)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  it('no findings: a valid log with no results, exit 0', () => {
    const path = file('clean.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    const { stderr, exitCode } = run(['inject', '--report', 'sarif', path]);
    expect(exitCode).toBe(0);
    const log = JSON.parse(stderr) as { runs: { results: unknown[] }[] };
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
  });
});
