/** The main --help text and the usage block of docs/cli.md are the same text (the README points there for usage). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_HELP } from '../../fn/cli/help';
import { ROOT, runBundle } from '../support/helpers';

/** The first ```text block that starts with the usage line. */
function usageBlock(markdown: string): string | undefined {
  return /```text\n(Usage: sidecar-injector <command>[\s\S]*?)```/.exec(markdown)?.[1];
}

describe('sidecar-injector --help', () => {
  it('prints MAIN_HELP, from the bundle', () => {
    const { stdout, exitCode } = runBundle('', ['--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toBe(MAIN_HELP);
  });

  it('is the usage block of docs/cli.md, byte for byte', () => {
    expect(usageBlock(readFileSync(join(ROOT, 'docs/cli.md'), 'utf8'))).toBe(MAIN_HELP);
  });
});
