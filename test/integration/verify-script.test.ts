/**
 * verify.sh (web/verify-plan.ts) run on a fake kubectl for the pods of a Job, whose proxy is a native sidecar:
 * the pod completes, and the proxy stops with it. kubectl's own jsonpath printer (`label --local`, which needs
 * no cluster) reads the canned pods, so each template means what it would against an API server.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyScript, type PlanRow } from '../../web/verify-plan';
import { missing, run, SIDECAR } from './_tools';

const skip = missing('verify.sh on a fake kubectl', ['bash', 'kubectl']);

/** `get pods ... -o name` lists the one pod; `get ... pod/NAME -o jsonpath=...` evaluates on its JSON. */
const FAKE_KUBECTL = `#!/usr/bin/env bash
out= words=()
while [ $# -gt 0 ]; do
  case $1 in
    -n|-l|-c) shift 2 ;;
    -o) out=$2; shift 2 ;;
    --tail=*) shift ;;
    *) words+=("$1"); shift ;;
  esac
done
case "\${words[0]} \${words[1]}" in
  "get pods") echo pod/report-x2k ;;
  "get pod/"*) exec "$REAL_KUBECTL" label --local -f "$FAKE/pod.json" fake=1 -o "$out" ;;
  "logs pod/"*) echo "a log line" ;;
  *) echo "fake kubectl: unexpected call" >&2; exit 2 ;;
esac
`;

const JOB: PlanRow = {
  label: 'Job report',
  ref: 'job/report',
  selector: 'app=report',
  before: 1,
  after: 2,
  initContainers: ['speedscale-initproxy-iptables'],
  proxy: true,
  completes: true,
};

const terminated = (exitCode: number) => ({
  terminated: { exitCode, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' },
});

/** A Job's pod with the proxy as a native sidecar, in `phase`, its proxy and app in the given states. */
const jobPod = (phase: string, proxy: object, app: object) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'report-x2k', labels: { app: 'report' } },
  spec: { containers: [{ name: 'report', image: 'x' }] },
  status: {
    phase,
    initContainerStatuses: [
      { name: 'speedscale-initproxy-iptables', ready: false, state: terminated(0) },
      { name: SIDECAR, ready: false, state: proxy },
    ],
    containerStatuses: [{ name: 'report', ready: false, state: app }],
  },
});

describe.skipIf(skip)('verify.sh for a Job (native sidecar)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-verify-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/kubectl'), FAKE_KUBECTL);
  chmodSync(join(dir, 'bin/kubectl'), 0o755);
  writeFileSync(join(dir, 'verify.sh'), verifyScript([JOB]));
  const verify = (pod: object) => {
    writeFileSync(join(dir, 'pod.json'), JSON.stringify(pod));
    const real = run('bash', ['-c', 'command -v kubectl']).stdout.trim();
    const env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, FAKE: dir, REAL_KUBECTL: real };
    const result = run('bash', [join(dir, 'verify.sh')], { env, input: '' });
    return { status: result.status, lines: result.stdout.split('\n').filter((l) => /^(PASS|FAIL) /.test(l)) };
  };

  it('passes a pod that completed: the proxy stopped with it, as a native sidecar does', () => {
    const done = verify(jobPod('Succeeded', terminated(0), terminated(0)));
    expect(done.lines).toEqual([
      'PASS job/report pod/report-x2k: init container speedscale-initproxy-iptables exited 0',
      `PASS job/report pod/report-x2k: completed (${SIDECAR} ran and stopped with it)`,
    ]);
    expect(done.status).toBe(0);
  });

  it('passes a pod still running with its proxy, and fails one whose proxy stopped before the pod completed', () => {
    const running = { running: { startedAt: '2026-01-01T00:00:00Z' } };
    expect(verify(jobPod('Running', running, running)).lines).toContain(
      `PASS job/report pod/report-x2k: ${SIDECAR} running`,
    );
    const failed = verify(jobPod('Failed', terminated(1), terminated(1)));
    expect(failed.lines).toContain(`FAIL job/report pod/report-x2k: ${SIDECAR} not running`);
    expect(failed.status).toBe(1);
  });
});

if (skip)
  describe('verify.sh for a Job (native sidecar)', () => {
    it.skip(`skipped: ${skip}`, () => undefined);
  });
