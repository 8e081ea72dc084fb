/** Process glue only: stdin -> stream -> stdout and the exit code; with arguments, the command line (fn/cli). */
import { readFileSync } from 'node:fs';
import { cannotWrite, failedResourceList, failure, NotUtf8, stream, utf8Text, WriteError } from './index';
import { Output } from './krm/output';

function main(): number {
  let input: string;
  try {
    input = readStdin();
  } catch (error) {
    return fail(
      error instanceof NotUtf8 ? `input is ${error.message}` : `cannot read stdin: ${(error as Error).message}`,
    );
  }
  const stdout = new Output(1);
  try {
    const { stderr, exitCode } = stream(input, stdout.write);
    stdout.flush();
    if (stderr) process.stderr.write(stderr);
    return exitCode;
  } catch (error) {
    if (error instanceof WriteError) return say(cannotWrite(error));
    // Problems with one item are that item's results; this is a bug outside any item: one line, no stack,
    // and the failed ResourceList unless part of the output has already gone out.
    stdout.discard();
    return stdout.started ? say(failure(error)) : fail(failure(error));
  }
}

/**
 * stdin as text. In a function of its own so that the bytes die with its frame: a temporary of main's would
 * stay on main's frame, which lasts the whole run (the input's size again, kept to the end).
 */
function readStdin(): string {
  return utf8Text(readFileSync(0));
}

/** One line on stderr, and the ResourceList with no items and that error, for input not processed at all. */
function fail(reason: string): number {
  say(reason);
  try {
    const stdout = new Output(1, 1 << 12);
    stdout.write(failedResourceList(reason));
    stdout.flush();
  } catch {
    // stdout is gone too: stderr already has the reason
  }
  return 1;
}

function say(line: string): number {
  process.stderr.write(`sidecar-injector: ${line}\n`);
  return 1;
}

// Arguments mean the command line (loaded only then); none mean the KRM function, as orchestrators call it.
// The command line reports its own errors file by file; what still escapes it is a stdout that cannot be
// written (exit 1 whatever failOn says: the output is lost) or a bug, said in one line.
const args = process.argv.slice(2);
if (args.length)
  void import('./cli/cli')
    .then(({ cli }) => (process.exitCode = cli(args)))
    .catch(
      (error: unknown) => (process.exitCode = say(error instanceof WriteError ? cannotWrite(error) : failure(error))),
    );
else process.exitCode = main();
