/** Pod facts for the decision tables: one app container on 8080, overridden per row. */
import type { PodFacts } from '../../fn/inject/pod-facts';

export const app = { name: 'app', image: 'example.com/app:1', ports: [8080] };

export const pod = (over: Partial<PodFacts>): PodFacts => ({
  kind: 'Deployment',
  hostNetwork: false,
  containers: [app],
  initContainers: [],
  podAnnotations: {},
  ...over,
});
