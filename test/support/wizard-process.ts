/** `sidecar-injector wizard DIR` as a process, for the suites that talk to its server (system and integration). */
import { spawn, type ChildProcess } from 'node:child_process';

/** A running `wizard DIR`: its process, the URL it printed (the token in its fragment), and what it prints. */
export interface StartedWizard {
  child: ChildProcess;
  url: URL;
  token: string;
  port: number;
  /** Everything it has printed so far, stdout and stderr (the files it refused are named at start). */
  output: () => string;
}

/** Starts `wizard DIR` of `bundle`; resolves once it prints its URL, rejects with what it said if it exits first. */
export function startWizard(
  bundle: string,
  dir: string,
  args: string[] = ['--no-open'],
  env: NodeJS.ProcessEnv = process.env,
): Promise<StartedWizard> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'wizard', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    const output = () => out;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]+)/.exec(out);
      if (found) resolve({ child, url: new URL(found[0]), token: found[2], port: Number(found[1]), output });
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`wizard exited ${code}: ${out}`)));
  });
}
