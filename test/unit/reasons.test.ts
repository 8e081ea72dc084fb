/** The one registry of reasons (fn/reasons.ts): every reason documented, every pod check worded there. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POD_CHECKS } from '../../fn/inject/pod-checks';
import { REASONS } from '../../fn/reasons';
import { ROOT } from '../support/helpers';

const rows = readFileSync(join(ROOT, 'docs/results.md'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => line.split('|'));
const table = rows.map((cells) => cells[1]);

describe('the reasons registry', () => {
  it('has every reason in docs/results.md, and the table names no other', () => {
    const documented = table.flatMap((cell) => [...cell.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]));
    expect(new Set(documented)).toEqual(new Set(Object.keys(REASONS)));
  });

  it('gives each pod check the severity of its row in docs/results.md', () => {
    for (const [code, check] of Object.entries(POD_CHECKS)) {
      const row = rows.find((cells) => [...cells[1].matchAll(/`([a-z-]+)`/g)].some((m) => m[1] === code));
      expect(row?.[2].trim(), code).toBe(check.severity);
    }
  });

  it('words every pod check: a check is a reason', () => {
    for (const code of Object.keys(POD_CHECKS)) expect(Object.keys(REASONS), code).toContain(code);
  });

  it('gives each reason its words for the detail it is given', () => {
    expect(REASONS['not-a-workload']('Service')).toBe('not a workload (Service)');
    expect(REASONS['port-conflict']('container web already listens on 4143')).toBe(
      'not injected: container web already listens on 4143; set proxy-in-port/proxy-out-port to free ports',
    );
  });
});
