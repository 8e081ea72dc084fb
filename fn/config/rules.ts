/** Cross-field and semantic checks the schema cannot express, as one table of named rules. */
import { isIP } from 'node:net';
import type { Settings } from './settings-type';

export interface RuleProblem {
  severity: 'error' | 'warning';
  /** The keys involved; the first one that came from an annotation is where the problem is reported. */
  keys: Array<keyof Settings>;
  message: string;
}

type Rule = (s: Settings) => RuleProblem | undefined;

export const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

function badCidr(entry: string): boolean {
  if (entry === '*') return false;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || extra !== undefined) return true;
  if (bits === undefined) return false;
  return !/^\d{1,3}$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128);
}

const cidrRule =
  (key: 'ignoreSrcIps' | 'ignoreDstIps'): Rule =>
  (s) => {
    const entries = list(s[key]);
    const bad = entries.filter(badCidr);
    if (bad.length) return { severity: 'error', keys: [key], message: `not an IP address or CIDR: ${bad.map((b) => JSON.stringify(b)).join(', ')}` };
    if (entries.includes('*') && entries.length > 1) return { severity: 'error', keys: [key], message: `"*" cannot be combined with other entries` };
    return undefined;
  };

export const RULES: Rule[] = [
  (s) =>
    s.proxyInPort === s.proxyOutPort
      ? { severity: 'error', keys: ['proxyInPort', 'proxyOutPort'], message: `proxy in-port and out-port are both ${s.proxyInPort}` }
      : undefined,
  cidrRule('ignoreSrcIps'),
  cidrRule('ignoreDstIps'),
  (s) =>
    s.proxyProtocol === 'tcp' && s.proxyType !== 'reverse' && s.proxyType !== 'transparent'
      ? { severity: 'error', keys: ['proxyProtocol', 'proxyType'], message: `proxy protocol "tcp" needs proxy type "reverse", got "${s.proxyType}"` }
      : undefined,
  (s) =>
    s.proxyProtocol.startsWith('tcp:') && s.proxyType !== 'dual'
      ? { severity: 'error', keys: ['proxyProtocol', 'proxyType'], message: `proxy protocol "${s.proxyProtocol}" needs proxy type "dual", got "${s.proxyType}"` }
      : undefined,
  (s) =>
    s.kubeApiSupport && !s.tlsOut
      ? { severity: 'warning', keys: ['kubeApiSupport', 'tlsOut'], message: 'kube-api-support needs tls-out to see inside the API calls' }
      : undefined,
  (s) =>
    s.prometheusPort !== undefined && [s.proxyInPort, s.proxyOutPort].includes(s.prometheusPort)
      ? { severity: 'error', keys: ['prometheusPort'], message: `prometheus port ${s.prometheusPort} is a proxy listener port` }
      : undefined,
];

export function checkRules(settings: Settings): RuleProblem[] {
  return RULES.map((rule) => rule(settings)).filter((p): p is RuleProblem => p !== undefined);
}
