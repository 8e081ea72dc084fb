/** Skip decisions as a table: pod facts -> findings -> one action. */
import { describe, expect, it } from 'vitest';
import { normalize } from '../../fn/config/normalize';
import type { WrittenSettings } from '../../fn/config/settings.generated';
import { decide, findings } from '../../fn/inject/pod-checks';
import type { PodFacts } from '../../fn/inject/pod-facts';
import { app, pod } from './_pod';

describe('decide', () => {
  const rows: [string, PodFacts, WrittenSettings, string, string[]][] = [
    ['a plain pod', pod({}), {}, 'inject', []],
    ['hostNetwork', pod({ hostNetwork: true }), {}, 'skip', ['host-network']],
    [
      'eBPF capture asked on the workload',
      pod({ workloadAnnotations: { 'capture.speedscale.com/enabled': 'true' } }),
      {},
      'block',
      ['ebpf-capture'],
    ],
    [
      'eBPF capture asked on the pod template',
      pod({ podAnnotations: { 'capture.speedscale.com/enabled': 'true' } }),
      {},
      'block',
      ['ebpf-capture'],
    ],
    ['no containers', pod({ containers: [] }), {}, 'block', ['no-containers']],
    ['app on the in-port', pod({ containers: [{ ...app, ports: [4143] }] }), {}, 'block', ['port-conflict']],
    [
      'app on a moved out-port',
      pod({ containers: [{ ...app, ports: [9000] }] }),
      { proxyOutPort: 9000 },
      'block',
      ['port-conflict'],
    ],
    [
      'linkerd proxy',
      pod({ containers: [app, { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge', ports: [4143] }] }),
      {},
      'block',
      ['linkerd', 'port-conflict'],
    ],
    ['linkerd annotation', pod({ podAnnotations: { 'linkerd.io/inject': 'enabled' } }), {}, 'block', ['linkerd']],
    [
      'istio proxy',
      pod({ containers: [app, { name: 'istio-proxy', image: 'istio/proxyv2', ports: [15090] }] }),
      {},
      'inject',
      ['istio'],
    ],
    [
      'goproxy without a record',
      pod({ containers: [app, { name: 'speedscale-goproxy', image: 'x', ports: [] }] }),
      {},
      'block',
      ['foreign-speedscale'],
    ],
    ['Job, classic sidecar', pod({ kind: 'Job' }), {}, 'inject', ['run-to-completion']],
    ['Job, native sidecar', pod({ kind: 'Job' }), { nativeSidecar: true }, 'inject', []],
    ['reverse proxy', pod({}), { proxyType: 'reverse' }, 'inject', ['non-transparent']],
    ['a workload with no name', pod({ name: '' }), {}, 'block', ['no-name']],
    [
      'a UDP and an SCTP port',
      pod({ containers: [{ ...app, ports: [53, 9], nonTcp: ['53/UDP', '9/SCTP'] }] }),
      {},
      'inject',
      ['non-tcp-port'],
    ],
  ];
  it.each(rows)('%s', (_name, facts, over, action, codes) => {
    const found = findings(facts, normalize(over));
    expect(found.map((f) => f.code).sort()).toEqual([...codes].sort());
    expect(decide(found)).toBe(action);
  });
});
