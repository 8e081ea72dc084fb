/**
 * Golden fixtures: fixtures/<behaviour>/input.yaml -> expected.yaml (and exit-code). Each runs twice (the
 * second run must change nothing) and every injected workload is validated against the Kubernetes schemas.
 * UPDATE_GOLDEN=1 rewrites the expectations and still fails, so a regenerated golden is always reviewed.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResourceList } from '../../fn/krm/read';
import { itemsOf, ROOT, run, runTwice, validateInjected } from '../support/helpers';

const FIXTURES = join(ROOT, 'fixtures');
const cases = readdirSync(FIXTURES).filter((name) => existsSync(join(FIXTURES, name, 'input.yaml')));

describe('golden fixtures', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThan(10));

  it.each(cases)('%s', (name) => {
    const dir = join(FIXTURES, name);
    const input = readFileSync(join(dir, 'input.yaml'), 'utf8');
    const output = runTwice(input);
    const expectedFile = join(dir, 'expected.yaml');
    const codeFile = join(dir, 'exit-code');
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(expectedFile, output.stdout);
      writeFileSync(codeFile, `${output.exitCode}\n`);
      throw new Error(`updated ${name}: review the diff, then run again without UPDATE_GOLDEN`);
    }
    expect(output.stdout).toBe(readFileSync(expectedFile, 'utf8'));
    expect(output.exitCode).toBe(Number(readFileSync(codeFile, 'utf8')));
    expect(output.stderr === '').toBe(output.exitCode === 0);
    validateInjected(output.stdout);
    if (isUnreadable(output.stdout)) return expect(output.stderr.trim().split('\n')).toHaveLength(1);
    // Nothing lost, nothing reordered: same item count, and items without a Speedscale key are byte-identical.
    const before = readResourceList(input).split.items; // JSON and flow input arrive normalized to block YAML
    const after = itemsOf(output.stdout);
    expect(after).toHaveLength(before.length);
    before.forEach((item, i) => {
      if (!(item + after[i]).includes('sidecar.speedscale.com/')) expect(after[i]).toBe(item);
    });
  });

  it.each(cases)('%s: uninstall restores what the author wrote', (name) => {
    const input = readFileSync(join(FIXTURES, name, 'input.yaml'), 'utf8');
    if (isUnreadable(run(input).stdout)) return;
    const injected = run(input).stdout;
    const uninstall = (text: string) =>
      run(
        text.replace(/^functionConfig:[\s\S]*?(?=^\S|(?![\s\S]))/m, '') +
          'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n  data: {uninstall: "true"}\n',
      );
    // Removing from the injected output and from the input must give the same items: the input minus any earlier injection.
    const original = readResourceList(input).split;
    const normalized = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n${original.itemsHead}${original.items.join('')}`;
    expect(itemsOf(uninstall(injected).stdout)).toEqual(itemsOf(uninstall(normalized).stdout));
  });
});

/** Input the function could not read at all: it answers with no items and one error. */
function isUnreadable(output: string): boolean {
  return (
    /^items: \[\]$/m.test(output) &&
    /^- message: (?!invalid functionConfig)/m.test(output) &&
    !output.includes('resourceRef')
  );
}
