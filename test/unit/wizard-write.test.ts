/**
 * `wizard DIR` writes a file as `inject --in-place` does: a document its author left broken is copied through
 * as it came and does not hold back the rest; a document the write itself made must parse. A file it does
 * not serve, the page names, as `inject DIR` does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../fn/cli/file-policy';
import { loadDir } from '../../fn/cli/wizard-files';
import { answerWrite, sha256 } from '../../fn/cli/wizard-write';
import { annotatePackage, processPackage } from '../../fn/index';
import { notServed, serverOf } from '../../web/server';

const dir = mkdtempSync(join(tmpdir(), 'sidecar-injector-wizard-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    sidecar.speedscale.com/inject: "true"
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
`;

describe('wizard DIR: the write', () => {
  it('writes a file with a document broken as served, as inject --in-place does', () => {
    const broken = '---\nkind: Service\nmetadata: {name: [x\n';
    writeFileSync(join(dir, 'a.yaml'), WEB + broken);
    const loaded = loadDir(dir, DEFAULT_POLICY);
    const choices = { choices: {}, annotateOn: 'workload' as const, annotations: {} };
    const [result] = processPackage(annotatePackage(loaded.files, choices), { config: {} });
    expect(result.outcomes.map((o) => o.status)).toEqual(['injected', 'error']);
    const files = [{ path: 'a.yaml', served: sha256(loaded.files[0].text), output: sha256(result.output) }];
    expect(answerWrite({ files, choices, spec: {} }, dir, loaded.files, DEFAULT_POLICY)).toEqual({
      status: 200,
      body: { written: ['a.yaml'] },
    });
    const written = readFileSync(join(dir, 'a.yaml'), 'utf8');
    expect(written).toBe(result.output);
    expect(written.endsWith(broken)).toBe(true);
  });
});

describe('wizard DIR: a file not served', () => {
  it('is named on the page with why, as inject DIR reports it', () => {
    const own = mkdtempSync(join(tmpdir(), 'sidecar-injector-wizard-skipped-'));
    try {
      writeFileSync(join(own, 'web.yaml'), WEB);
      writeFileSync(join(own, 'latin1.yaml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
      const loaded = loadDir(own, DEFAULT_POLICY);
      const served = { dir: own, sources: loaded.files, writable: [], skipped: loaded.skipped };
      expect(notServed(serverOf('token', served))).toEqual([expect.stringMatching(/^latin1\.yaml: .*UTF-8/)]);
      expect(notServed(undefined)).toEqual([]);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
