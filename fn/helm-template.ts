/**
 * A Helm chart's templates are not manifests: Go template actions (`{{ ... }}`) make most of them invalid
 * YAML, and the rest hold placeholders, not values. Said as such, with the two ways forward, where a
 * user would otherwise meet only the parser's message. The commands are the ones docs/orchestrators.md
 * documents and test/integration/wizard-summary.test.ts runs.
 */

/** Any template action: what makes a document that fails to parse a template rather than a typo. */
const ACTION = /\{\{[^\n]*?\}\}/;

/**
 * Actions only Helm writes (its objects, its functions, the control words): a valid document holding
 * these is a template. Other `{{ }}` in values (Prometheus' `{{ $labels.pod }}`, Argo's) are data.
 */
const HELM_OBJECT = /\{\{-?[^}\n]*\.(?:Values|Release|Chart|Capabilities|Files|Template)\b/;
const HELM_WORD = /\{\{-?\s*(?:include|template|toYaml|tpl|define|if|range|with|end|else)\b/;

/** The two ways forward, in the words of a message's tail. */
export const HELM_TEMPLATE_HINT =
  'this is a Helm chart template ({{ ... }}), not rendered manifests: render it first ' +
  '(helm template RELEASE CHART | sidecar-injector inject --annotated) or let Helm run the injector as its ' +
  'post-renderer (helm install RELEASE CHART --post-renderer ./helm/sidecar-injector/post-render.sh)';

/** Whether a document that failed to parse holds template actions. */
export const hasTemplateActions = (text: string): boolean => ACTION.test(text);

/** Whether a document that parsed is still a Helm template (its values hold Helm's own actions). */
export const isHelmTemplate = (text: string): boolean => HELM_OBJECT.test(text) || HELM_WORD.test(text);
