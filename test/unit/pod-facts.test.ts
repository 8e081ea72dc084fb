import { describe, expect, it } from 'vitest';
import { parseResource } from '../../fn/resource';
import { podFacts } from '../../fn/inject/pod-facts';

describe('podFacts', () => {
  it("names a container's ports as Object.fromEntries of its named ports would, on random names", () => {
    // Keys an assignment treats otherwise (the prototype's), index-like keys that objects order first, repeats.
    const pool = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', '1', '01', '2', 'http', 'metrics', ''];
    let seed = 5;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let round = 0; round < 300; round++) {
      const ports = Array.from({ length: next(6) }, () => [pool[next(pool.length)], 1 + next(9000)] as const);
      const text = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '      - name: app',
        '        ports:',
        ...ports.map(([name, port]) => `        - {containerPort: ${port}, name: ${JSON.stringify(name)}}`),
        '',
      ].join('\n');
      const resource = parseResource(text);
      if ('error' in resource) throw new Error(resource.error);
      const paths = { podSpec: ['spec', 'template', 'spec'], podMetadata: ['spec', 'template', 'metadata'] };
      const named = podFacts(resource, paths, { kind: 'Deployment' })!.containers[0].namedPorts!;
      const expected = Object.fromEntries(ports.filter(([name]) => name !== ''));
      expect(Object.getPrototypeOf(named)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptors(named), text).toEqual(Object.getOwnPropertyDescriptors(expected));
      expect(Reflect.ownKeys(named)).toEqual(Reflect.ownKeys(expected));
    }
  });
});
