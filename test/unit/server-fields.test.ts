/** kubectl get -o yaml's server-side fields: found in a resource and a List's items, stripped byte for byte. */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { serverFields } from '../../fn/index';

/** A Deployment as `kubectl get -o yaml` writes it, with a comment of the user's in it. */
const GOT = `apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "1"
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"apps/v1","kind":"Deployment"}
  creationTimestamp: "2026-12-01T10:00:00Z"
  generation: 3
  # the user's comment stays
  name: api
  namespace: shop
  resourceVersion: "12345"
  uid: 0b7c9c0e-1111-2222-3333-444455556666
  selfLink: /apis/apps/v1/namespaces/shop/deployments/api
  managedFields:
  - manager: kubectl
    operation: Update
spec:
  replicas: 1 # kept
  template:
    spec:
      containers:
      - name: api
        image: api:1
status:
  replicas: 1
  readyReplicas: 1
`;

const CLEAN = `apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "1"
  # the user's comment stays
  name: api
  namespace: shop
spec:
  replicas: 1 # kept
  template:
    spec:
      containers:
      - name: api
        image: api:1
`;

describe('serverFields', () => {
  it('finds each server-side field and strips exactly their lines', () => {
    const { found, stripped } = serverFields(GOT);
    expect(found.map((f) => f.field).sort()).toEqual(
      [
        'status',
        'metadata.resourceVersion',
        'metadata.uid',
        'metadata.creationTimestamp',
        'metadata.generation',
        'metadata.managedFields',
        'metadata.selfLink',
        'metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
      ].sort(),
    );
    expect(new Set(found.map((f) => f.resource))).toEqual(new Set(['Deployment/api']));
    expect(stripped).toBe(CLEAN);
  });

  it('removes annotations: whole when last-applied was its only one', () => {
    const annotation = '    kubectl.kubernetes.io/last-applied-configuration: "{}"\n';
    const text = `kind: Service\nmetadata:\n  name: s\n  annotations:\n${annotation}  labels: {a: b}\n`;
    expect(serverFields(text).stripped).toBe('kind: Service\nmetadata:\n  name: s\n  labels: {a: b}\n');
  });

  it("strips a List's items and leaves other documents byte for byte", () => {
    const other = '# a plain one\nkind: ConfigMap\nmetadata: {name: c}\ndata: {status: kept}\n';
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata:',
      '    name: web',
      '    uid: abc',
      '  spec: {ports: [{port: 80}]}',
      '  status:',
      '    loadBalancer: {}',
      'metadata:',
      '  resourceVersion: ""',
      '',
    ].join('\n');
    const { found, stripped } = serverFields(`${other}---\n${list}`);
    expect(found).toEqual([
      { resource: 'List/', field: 'metadata.resourceVersion', list: true },
      { resource: 'Service/web', field: 'status' },
      { resource: 'Service/web', field: 'metadata.uid' },
    ]);
    const kept = [
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata:',
      '    name: web',
      '  spec: {ports: [{port: 80}]}',
    ];
    expect(stripped).toBe(
      `${other}---\n${['apiVersion: v1', 'kind: List', 'items:', ...kept, 'metadata:', ''].join('\n')}`,
    );
    expect(parseAllDocuments(stripped).every((d) => !d.errors.length)).toBe(true);
  });

  it("marks a List's own fields as the List's, with items or without", () => {
    const empty = 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n';
    expect(serverFields(empty).found).toEqual([{ resource: 'List/', field: 'metadata.resourceVersion', list: true }]);
    const single = 'kind: Service\nmetadata:\n  name: s\n  resourceVersion: "1"\n';
    expect(serverFields(single).found).toEqual([{ resource: 'Service/s', field: 'metadata.resourceVersion' }]);
  });

  it('gives the text itself back when there is nothing to strip, or it is not YAML', () => {
    for (const text of [CLEAN, 'a: [\n', '']) expect(serverFields(text)).toEqual({ found: [], stripped: text });
  });

  it('a document nested too deeply to read has none to point out; the others are still found', () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  uid: x\n  name: c\ndata:\n  x: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\nstatus: {}\n';
    const { found, stripped } = serverFields(`${deep}---\n${other}`);
    expect(found).toEqual([{ resource: 'ConfigMap/d', field: 'status' }]);
    expect(stripped).toBe(`${deep}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n`);
  });
});
