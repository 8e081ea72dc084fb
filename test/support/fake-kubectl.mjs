#!/usr/bin/env node
/**
 * `kubectl` against a cluster kept in a JSON file, for the docs' pipelines (test/integration/docs-cli.test.ts):
 * no API server runs on these machines. It answers the calls docs/cli.md makes, as kubectl prints them:
 *
 *   kubectl get deploy NAME -o yaml | kubectl get deploy -o json
 *   kubectl apply -f -              (YAML or JSON: objects, documents, v1 Lists)
 *   kubectl patch KIND/NAME -n NAMESPACE --type json -p PATCH
 *
 * The state file ($FAKE_KUBECTL_STATE) is an array of objects; anything else is refused with exit 1, so a
 * pipeline that asks for more than this knows fails instead of passing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import fastJsonPatch from 'fast-json-patch';
import { parseAllDocuments, stringify } from 'yaml';

const STATE = process.env.FAKE_KUBECTL_STATE;
const args = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
};
if (!STATE) fail('FAKE_KUBECTL_STATE is not set');
const objects = JSON.parse(readFileSync(STATE, 'utf8'));
const save = () => writeFileSync(STATE, JSON.stringify(objects, null, 2));
const flag = (name) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
};
/** `deployment.apps/frontend`, as kubectl names what it changed. */
const named = (o) =>
  `${o.kind.toLowerCase()}${o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : ''}/${o.metadata.name}`;
const KINDS = { deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment' };
const same = (a, b) =>
  a.kind === b.kind && a.metadata.name === b.metadata.name && a.metadata.namespace === b.metadata.namespace;

const [verb] = args;
if (verb === 'get') {
  const kind = KINDS[args[1]] ?? fail(`the server doesn't have a resource type "${args[1]}"`);
  const name = args[2]?.startsWith('-') ? undefined : args[2];
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (name && !found.length) fail(`deployments.apps "${name}" not found`);
  const output = flag('-o');
  const value = name ? found[0] : { apiVersion: 'v1', items: found, kind: 'List', metadata: { resourceVersion: '' } };
  if (output === 'json') process.stdout.write(`${JSON.stringify(value, null, 4)}\n`);
  else if (output === 'yaml') process.stdout.write(stringify(value, { indentSeq: false }));
  else fail(`unsupported output ${output}`);
} else if (verb === 'apply') {
  if (flag('-f') !== '-') fail('only apply -f - is supported');
  const docs = parseAllDocuments(readFileSync(0, 'utf8'));
  for (const doc of docs) if (doc.errors.length) fail(`error parsing STDIN: ${doc.errors[0].message}`);
  const given = docs.map((d) => d.toJS()).flatMap((o) => (o?.kind === 'List' ? o.items : o ? [o] : []));
  if (!given.length) fail('no objects passed to apply');
  for (const object of given) {
    object.metadata.namespace ??= 'default';
    const at = objects.findIndex((o) => same(o, object));
    const before = at < 0 ? undefined : JSON.stringify(objects[at]);
    if (at < 0) objects.push(object);
    else objects[at] = object;
    const word = at < 0 ? 'created' : before === JSON.stringify(object) ? 'unchanged' : 'configured';
    process.stdout.write(`${named(object)} ${word}\n`);
  }
  save();
} else if (verb === 'patch') {
  const [kindName, name] = args[1].split('/');
  const kind = KINDS[kindName.toLowerCase()] ?? fail(`the server doesn't have a resource type "${kindName}"`);
  if (flag('--type') !== 'json') fail('only --type json is supported');
  const namespace = flag('-n') ?? 'default';
  const at = objects.findIndex(
    (o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace,
  );
  if (at < 0) fail(`deployments.apps "${name}" not found in ${namespace}`);
  try {
    objects[at] = fastJsonPatch.applyPatch(objects[at], JSON.parse(flag('-p')), true, false).newDocument;
  } catch (error) {
    fail(`the request is invalid: ${error.message}`);
  }
  process.stdout.write(`${named(objects[at])} patched\n`);
  save();
} else {
  fail(`unsupported: kubectl ${args.join(' ')}`);
}
