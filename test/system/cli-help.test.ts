/** The main --help text and the usage block of docs/cli.md are the same text (the README points there for usage). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, FIFO_WRITER_WAIT_MS } from '../../fn/cli/file-policy';
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

describe("the file policy's defaults, as the help and the docs state them", () => {
  const MiB = 1024 * 1024;
  const file = DEFAULT_POLICY.maxFileBytes / MiB;
  const run = DEFAULT_POLICY.maxRunBytes / MiB;
  const fifo = FIFO_WRITER_WAIT_MS / 1000;
  const page = (name: string) => readFileSync(join(ROOT, name), 'utf8').replace(/\s+/g, ' ');

  it('--help', () => {
    expect(MAIN_HELP.replace(/\s+/g, ' ')).toContain(`(default: ${file}M;`);
    expect(MAIN_HELP).toContain(`(default: ${run}M)`);
  });

  it('docs/cli.md', () => {
    const cli = page('docs/cli.md');
    expect(cli).toContain(`a file over ${file} MiB (\`--max-file-size\`)`);
    expect(cli).toContain(`at most ${run} MiB (\`--max-run-size\`)`);
    expect(cli).toContain(`given up after ${fifo} s`);
  });

  it('docs/guarantees.md', () => {
    const guarantees = page('docs/guarantees.md');
    expect(guarantees).toContain(`capped (${file} MiB, \`--max-file-size\`)`);
    expect(guarantees).toContain(`(${run} MiB over all files`);
    expect(guarantees).toContain(`within ${fifo} s`);
  });
});
