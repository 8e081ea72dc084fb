/** Verify: what to run after deploying, filled in with the chosen workloads and their namespaces. */
import { PROPERTIES } from '../../fn/index';
import type { App, Step, StepView } from '../app';
import { h } from '../dom';
import { fileBlock } from '../file-block';
import { isChosen } from '../pipeline';
import { verifyCommands } from '../wiring';

function render(app: App): StepView {
  const chosen = app.computed.workloads.filter((w) => isChosen(app.state, w));
  const namespaces = [...new Set(chosen.map((w) => w.namespace || 'default'))];
  const commands = verifyCommands({ namespaces, workloads: chosen });
  return {
    content: [
      h(
        'p',
        {},
        'After deploying: the injected pods show 2/2 ready, the proxy logs the traffic it captures, and CI ' +
          'keeps the manifests from drifting.',
      ),
      fileBlock('verify.sh', `${commands.join('\n')}\n`, 'run these against your cluster'),
      h(
        'p',
        { class: 'muted' },
        `Settings that were not given stay at the schema's defaults (${Object.keys(PROPERTIES).length} keys; docs/reference.md).`,
      ),
    ],
  };
}

export const verify: Step = { id: 'verify', title: 'Verify', render };
