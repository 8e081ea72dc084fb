/** The unit tier runs the sources as they are: only the config validators, generated from the schema, come first. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(__dirname, '../../scripts/build.mjs'), '--validators-only'], {
    stdio: 'inherit',
  });
}
