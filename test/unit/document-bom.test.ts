/**
 * A byte-order mark at the start of a later document of a stream (YAML allows one at the start of every
 * document; kubectl reads past it): the document reads as it would without it, in every pass of the command
 * line and the page, and the mark stays where it was, through injection and removal.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { PackageSession } from '../../fn/package/session';
import { processPackage, type PackageOptions } from '../../fn/package/process-package';
import { fileWorkloads } from '../../fn/package/file-workloads';
import { annotateFile } from '../../fn/package/annotate';
import { serverFields } from '../../fn/package/server-fields';
import { compareWithYaml } from './fast-parse-compare';

const BOM = '\uFEFF';
/** Where a case puts its mark. */
const AT = '@BOM@';

const deployment = (name: string, namespace = 'default') =>
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    sidecar.speedscale.com/inject: "true"
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${name}
        image: nginx
        ports:
        - containerPort: 8080
`;

/** A Namespace that enforces Pod Security restricted: what the workloads in it may get depends on it. */
const RESTRICTED = `apiVersion: v1
kind: Namespace
metadata:
  name: locked
  labels:
    pod-security.kubernetes.io/enforce: restricted
`;

const CASES: [string, string][] = [
  ['after ---', `${deployment('web')}---\n${AT}${deployment('web2')}`],
  ['after --- and a comment on its line', `${deployment('web')}--- # the second\n${AT}${deployment('web2')}`],
  ['after ---, CRLF line endings', `${deployment('web')}---\n${AT}${deployment('web2')}`.replace(/\n/g, '\r\n')],
  ['after ---, before a comment', `${deployment('web')}---\n${AT}# the second\n${deployment('web2')}`],
  ['after ...', `${deployment('web')}...\n${AT}${deployment('web2')}`],
  ['of the first document, after its ---', `---\n${AT}${deployment('web')}`],
  [
    'of a Namespace, whose Pod Security the workload after it follows',
    `---\n${AT}${RESTRICTED}---\n${deployment('web', 'locked')}`,
  ],
  [
    'of a List',
    `${deployment('web')}---\n${AT}apiVersion: v1\nkind: List\nitems:\n- ${deployment('web2').replace(/\n(?=.)/g, '\n  ')}`,
  ],
];

const withBom = (text: string) => text.replace(AT, BOM);
const without = (text: string) => text.replace(AT, '');

const INJECT: PackageOptions = { config: { inject: false, uninstall: false } };
const UNINSTALL: PackageOptions = { config: { uninstall: true } };

function pass(text: string, options: PackageOptions, session?: PackageSession) {
  const [file] = processPackage([{ path: 'a.yaml', text }], { ...options, ...(session && { session }) });
  return file;
}

/** What the outcomes say, but where: the mark moves what follows it by one. */
const said = (outcomes: ReturnType<typeof pass>['outcomes']) =>
  JSON.stringify(outcomes, (key, value: unknown) =>
    ['input', 'text', 'at', 'offset'].includes(key) ? undefined : value,
  );

/** What each resource's position (its document's or List's offset, and its own start) points at in `text`. */
const pointedAt = (text: string, outcomes: ReturnType<typeof pass>['outcomes']) =>
  outcomes.flatMap((o) => {
    const start = o.offset ?? 0;
    const own = o.at === undefined ? [] : [text.slice(start + o.at, start + o.at + 12)];
    const items = (o.items ?? []).map((i) => text.slice(start + (i.offset ?? 0) + (i.at ?? 0)).slice(0, 12));
    return [...own, ...items];
  });

describe('a byte-order mark at the start of a document', () => {
  it.each(CASES)('%s: read as without it, kept where it was, removed byte for byte', (_name, text) => {
    for (const session of [undefined, new PackageSession()]) {
      const plain = pass(without(text), INJECT, session);
      const marked = pass(withBom(text), INJECT, session);
      expect(said(marked.outcomes)).toBe(said(plain.outcomes));
      expect(pointedAt(withBom(text), marked.outcomes)).toEqual(pointedAt(without(text), plain.outcomes));
      // The mark is the only difference, and it is where it was: before what followed it.
      expect(marked.output.replace(BOM, '')).toBe(plain.output);
      const after = withBom(text).slice(withBom(text).indexOf(BOM), withBom(text).indexOf(BOM) + 40);
      expect(marked.output).toContain(after);
      // A second run changes nothing; uninstall gives back the input's bytes.
      expect(pass(marked.output, INJECT, session).output).toBe(marked.output);
      expect(pass(marked.output, UNINSTALL, session).output).toBe(withBom(text));
    }
  });

  it.each(CASES)("%s: the page's workloads and its annotations read it as without it", (_name, text) => {
    const workloads = fileWorkloads(withBom(text));
    expect(workloads).toEqual(fileWorkloads(without(text)));
    expect(workloads.length).toBeGreaterThan(0);
    const changes = () => ({ workload: { 'sidecar.speedscale.com/proxy-port': '8080' }, pod: {} });
    const annotated = annotateFile(withBom(text), workloads, changes);
    expect(annotated.refused).toEqual([]);
    expect(annotated.text.replace(BOM, '')).toBe(annotateFile(without(text), workloads, changes).text);
  });

  it('a first document that opens with a line of spaces keeps it when the page annotates it', () => {
    // The blank line a `---` line becomes, written by the author: restoring it would write a `---` there.
    for (const open of ['   \n', '    \n']) {
      const text = `${open}${deployment('web')}`;
      const changes = () => ({ workload: { 'sidecar.speedscale.com/proxy-port': '8080' }, pod: {} });
      const annotated = annotateFile(text, fileWorkloads(text), changes);
      expect(annotated.text.startsWith(`${open}apiVersion`)).toBe(true);
      expect(annotated.text).toContain('sidecar.speedscale.com/proxy-port: "8080"');
    }
  });

  it("the server's fields of a document that starts with one are found and stripped", () => {
    const got = `${RESTRICTED}---\n${BOM}metadata:\n  name: web\n  uid: 0b7c\nkind: ConfigMap\napiVersion: v1\n`;
    const fields = serverFields(got);
    expect(fields.found).toEqual([{ resource: 'ConfigMap/web', field: 'metadata.uid' }]);
    expect(fields.stripped).toBe(got.replace('  uid: 0b7c\n', ''));
  });

  it('a line that starts with one: the fast parser reads it as yaml does, or leaves it to yaml', () => {
    for (const text of [`${BOM}a: 1\n`, `   \n${BOM}a: 1\n`, `# c\n${BOM}a: 1\n`, `a: 1\n${BOM}b: 2\n`]) {
      expect(parseDocument(text).errors).toEqual([]);
      expect(compareWithYaml(text)).toBe('fallback');
    }
    // Inside the content, after a dash or indentation, it is content to both.
    for (const text of [`- ${BOM}a: 1\n`, `a:\n  ${BOM}b: 1\n`]) expect(compareWithYaml(text)).toBeUndefined();
  });
});
