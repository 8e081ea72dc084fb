/** The page's results summary against the command line: every error it reports, the page counts. */
import { describe, expect, it } from 'vitest';
import { compute } from '../../web/pipeline';
import { initialState, type WizardState } from '../../web/state';
import { summarize } from '../../web/summary';

const PACKAGE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    sidecar.speedscale.com/inject: "true"
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
`;

const stateOf = (text: string): WizardState => ({
  ...initialState(),
  sources: [{ path: 'web.yaml', text }],
  config: { proxyType: 'reverse', serviceTargetPort: 'proxy' },
});

describe('the results summary', () => {
  it("counts an error on a resource that is no workload (a Service's broken record), at its line", () => {
    const injected = compute(stateOf(PACKAGE)).files[0].output;
    // The Service's injection record, of a version no release wrote: `inject` exits 1 on it.
    const broken = injected.replace(
      /("v":3,"added":\[\["metadata","annotations")/,
      '"v":99,"added":[["metadata","annotations"',
    );
    expect(broken).not.toBe(injected);
    const state = stateOf(broken);
    const computed = compute(state);
    expect(computed.files[0].outcomes[1]).toMatchObject({ status: 'error', reason: 'bad-record' });
    const line = broken.split('\n').findIndex((l) => l.includes('"v":99')) + 1;
    const summary = summarize(state, computed);
    expect(summary.errors).toBe(1);
    expect(summary.findings).toEqual([
      {
        severity: 'error',
        about: 'Service web',
        message: expect.stringMatching(/^injection record has unsupported version 99/),
        place: { file: 0, line },
      },
    ]);
  });
});
