/** Process glue only: stdin -> run -> stdout and the exit code; with arguments, the command line (fn/cli). */
import { readFileSync, writeSync } from 'node:fs';
import { failedResourceList } from './resource-list/write';
import { run } from './run';

function main(): number {
  let input: string;
  try {
    input = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(0));
  } catch (error) {
    return fail(error instanceof TypeError ? 'input is not valid UTF-8' : `cannot read stdin: ${(error as Error).message}`);
  }
  let output;
  try {
    output = run(input);
  } catch (error) {
    // A bug or an input beyond the parser's limits: one line, never a stack trace, and no items.
    return fail(error instanceof RangeError && /call stack/i.test(error.message) ? 'input is nested too deeply to read' : `internal error: ${(error as Error)?.message ?? error}`);
  }
  const { parts, stderr, exitCode } = output;
  try {
    writeAll(1, parts);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`sidecar-injector: cannot write stdout: ${code === 'EPIPE' ? 'the reader closed it (EPIPE)' : (error as Error).message}\n`);
    return 1;
  }
  if (stderr) process.stderr.write(stderr);
  return exitCode;
}

/** One line on stderr, and the ResourceList with no items and that error, for input not processed at all. */
function fail(reason: string): number {
  process.stderr.write(`sidecar-injector: ${reason}\n`);
  try {
    writeAll(1, [failedResourceList(reason)]);
  } catch {
    // stdout is gone too: stderr already has the reason
  }
  return 1;
}

/** Writes the pieces in batches of about 1 MB: no giant string, few system calls. */
function writeAll(fd: number, parts: readonly string[]) {
  for (let i = 0; i < parts.length; ) {
    const batch: string[] = [];
    for (let size = 0; i < parts.length && size < 1 << 20; i++) {
      batch.push(parts[i]!);
      size += parts[i]!.length;
    }
    const bytes = Buffer.from(batch.join(''));
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
  }
}

// Arguments mean the command line (loaded only then); none mean the KRM function, as orchestrators call it.
const args = process.argv.slice(2);
if (args.length) void import('./cli/cli').then(({ cli }) => (process.exitCode = cli(args)));
else process.exitCode = main();
