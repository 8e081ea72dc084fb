/** The bundled examples: the repository's own, so the page never fetches one. */
import helloDeployment from '../examples/hello/deployment.yaml';
import helloService from '../examples/hello/service.yaml';
import storefront from '../fixtures/storefront/release/storefront.yaml';
import type { Source } from './state';

export const EXAMPLES: Readonly<Record<string, Source[]>> = {
  'hello (a Deployment and its Service)': [
    { path: 'deployment.yaml', text: helloDeployment },
    { path: 'service.yaml', text: helloService },
  ],
  'storefront (a dozen services, one stream)': [{ path: 'storefront.yaml', text: storefront }],
};
