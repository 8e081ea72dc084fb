/** Process glue only: stdin -> run -> stdout and the exit code. */
import { readFileSync, writeSync } from 'node:fs';
import { run } from './run';

function main(): number {
  let input: string;
  try {
    input = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(0));
  } catch (error) {
    const reason = error instanceof TypeError ? 'input is not valid UTF-8' : `cannot read stdin: ${(error as Error).message}`;
    process.stderr.write(`sidecar-injector: ${reason}\n`);
    return 1;
  }
  const { stdout, stderr, exitCode } = run(input);
  writeAll(1, stdout);
  if (stderr) process.stderr.write(stderr);
  return exitCode;
}

function writeAll(fd: number, text: string) {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

process.exitCode = main();
