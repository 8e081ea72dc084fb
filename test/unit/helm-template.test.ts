/** A Helm chart template named as one: in the malformed-YAML message, and told apart when it parses. */
import { describe, expect, it } from 'vitest';
import { HELM_TEMPLATE_HINT, isHelmTemplate, processPackage } from '../../fn/index';

const TEMPLATE = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: {{ include "x.fullname" . }}',
  '  labels:',
  '    {{- include "x.labels" . | nindent 4 }}',
  '',
].join('\n');

describe('Helm chart templates', () => {
  it('a template that does not parse: the parser message, then what it is and the two ways forward', () => {
    const [file] = processPackage([{ path: 'deployment.yaml', text: TEMPLATE }], { config: {} });
    const [o] = file.outcomes;
    expect(o.status).toBe('error');
    expect(o.reason).toBe('malformed-yaml');
    expect(o.detail).toMatch(/^malformed YAML: .+; this is a Helm chart template/);
    expect(o.detail?.endsWith(HELM_TEMPLATE_HINT)).toBe(true);
  });

  it('malformed YAML without {{ }} gets no Helm hint', () => {
    const [file] = processPackage([{ path: 'm.yaml', text: 'kind: Service\nmetadata: {name: x\n' }], { config: {} });
    expect(file.outcomes[0].detail).not.toContain('Helm');
  });

  it("tells Helm's actions from other {{ }} in values", () => {
    expect(isHelmTemplate('image: "{{ .Values.image }}"\n')).toBe(true);
    expect(isHelmTemplate('x: "{{- if .Values.on }}"\n')).toBe(true);
    expect(isHelmTemplate('description: "{{ $labels.pod }} is down"\n')).toBe(false);
    expect(isHelmTemplate('kind: Service\n')).toBe(false);
  });
});
