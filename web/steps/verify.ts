/**
 * Verify: the chosen workloads as they will be deployed (web/verify-plan.ts), their container counts before
 * and after, the quick commands and verify.sh, which checks every pod and prints PASS or FAIL per check.
 */
import { PROPERTIES, SIDECAR } from '../../fn/index';
import type { App, Step, StepView } from '../app';
import { h } from '../dom';
import { fileBlock } from '../file-block';
import { verifyCommands, verifyPlan, verifyScript, type PlanRow } from '../verify-plan';

const CONTEXT_NAMESPACE = "your context's";

function table(rows: readonly PlanRow[]): HTMLElement {
  const headers = ['Workload', 'Deployed as', 'Namespace', 'Containers', 'READY once deployed'];
  return h(
    'table',
    { id: 'verify-plan' },
    h('caption', { class: 'muted' }, 'The chosen workloads as they will run'),
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          {},
          h('td', {}, row.label),
          h('td', {}, h('code', {}, row.ref)),
          h('td', {}, row.namespace ?? CONTEXT_NAMESPACE),
          h('td', { 'data-testid': 'containers' }, `${row.before} -> ${row.after}`),
          h(
            'td',
            {},
            !row.proxy ? `not injected: no ${SIDECAR}` : row.completes ? 'completes' : `${row.after}/${row.after}`,
          ),
        ),
      ),
    ),
  );
}

function render(app: App): StepView {
  const rows = verifyPlan(app.state, app.computed);
  const unnamed = rows.some((row) => !row.namespace);
  return {
    content: [
      h(
        'p',
        {},
        rows.length
          ? 'After deploying: each pod shows every container ready (READY below), the init containers exited 0, ' +
              'the proxy runs and logs the traffic it captures; CI keeps the manifests from drifting.'
          : 'No workload is chosen: there is nothing to verify.',
      ),
      rows.length ? table(rows) : null,
      unnamed
        ? h(
            'p',
            { class: 'muted' },
            'A workload the manifests give no namespace is deployed to the namespace kubectl apply used: ' +
              "the commands name none, so kubectl uses your context's, as it did then.",
          )
        : null,
      fileBlock('commands.sh', `${verifyCommands(rows).join('\n')}\n`, 'run these against your cluster'),
      fileBlock(
        'verify.sh',
        verifyScript(rows),
        'bash verify.sh: one PASS or FAIL line per check of every pod, exit 1 on any FAIL',
      ),
      h(
        'p',
        { class: 'muted' },
        `Settings that were not given stay at the schema's defaults (${Object.keys(PROPERTIES).length} keys; docs/reference.md).`,
      ),
    ],
  };
}

export const verify: Step = { id: 'verify', title: 'Verify', render };
