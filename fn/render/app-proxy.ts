/**
 * The app's side of the forward proxy (appProxyEnv): forward and dual modes do not reconfigure the app, so
 * Speedscale has the user set HTTP_PROXY, HTTPS_PROXY or, for Java, JAVA_TOOL_OPTIONS by hand (Proxy Modes
 * page). These are those values, from the settings alone; which container gets which is inject/app-proxy.ts.
 */
import { appProxyApplies } from '../config/proxy-types';
import type { Settings } from '../config/settings.generated';
import { env, type EnvVar } from './env';
import { perSettings } from './per-settings';

/** The proxy's address as the app reaches it: the loopback of the pod it shares. */
const LOOPBACK = '127.0.0.1';

/** How the app speaks to the forward proxy, by proxy protocol (tcp is reverse only: the rules refuse it here). */
const SCHEMES: Readonly<Record<Settings['proxyProtocol'], 'http' | 'socks5' | 'socks4'>> = {
  tcp: 'http',
  http: 'http',
  socks: 'socks5',
  socks4: 'socks4',
  socks5: 'socks5',
  'tcp:http': 'http',
  'tcp:socks': 'socks5',
};

/** Never through the proxy: the pod itself. */
const LOCAL = ['localhost', LOOPBACK, '::1'];

/** The proxy variables, uppercase first: the conventional names, then the lowercase ones some clients read only. */
export const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'] as const;
export type ProxyVar = (typeof PROXY_VARS)[number];

/**
 * NO_PROXY: the pod's own addresses and the ignore-dst lists, nothing else: calls to other services in the
 * cluster must go through the proxy, they are what capture is for. `*` in ignore-dst-ips skips them all.
 */
function noProxy(s: Settings): string {
  if (s.ignoreDstIps.all) return '*';
  return [...LOCAL, ...s.ignoreDstIps.entries, ...s.ignoreDstHosts.entries].join(',');
}

/** The variables every app container gets, in PROXY_VARS order; none where the mode does not need them. */
export const appProxyEnv = perSettings((s: Settings): readonly EnvVar[] => {
  if (!appProxyApplies(s)) return [];
  const url = `${SCHEMES[s.proxyProtocol]}://${LOOPBACK}:${s.proxyOutPort}`;
  const values: Record<ProxyVar, string> = {
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    NO_PROXY: noProxy(s),
    http_proxy: url,
    https_proxy: url,
    no_proxy: noProxy(s),
  };
  return PROXY_VARS.map((name) => env(name, values[name]));
});

/**
 * An ignore-dst entry as a Java nonProxyHosts pattern, which takes host names, addresses and a `*` at
 * either end: a CIDR only on an octet boundary (10.0.0.0/8 -> 10.*), IPv4; undefined when it cannot be said.
 */
function javaPattern(entry: string): string | undefined {
  if (entry === '*') return '*';
  const [address, bits] = entry.split('/');
  if (bits === undefined) return address.includes(':') ? `[${address}]` : address;
  const octets = address.split('.');
  if (octets.length !== 4 || !['8', '16', '24', '32'].includes(bits)) return undefined;
  const kept = Number(bits) / 8;
  return kept === 4 ? address : `${octets.slice(0, kept).join('.')}.*`;
}

/** The JVM's flags for the forward proxy (JAVA_TOOL_OPTIONS), and the ignore-dst entries Java cannot express. */
export const javaProxyFlags = perSettings((s: Settings): { flags: string; unsaid: readonly string[] } => {
  if (!appProxyApplies(s)) return { flags: '', unsaid: [] };
  const port = s.proxyOutPort;
  const scheme = SCHEMES[s.proxyProtocol];
  const flags =
    scheme === 'http'
      ? [
          `-Dhttp.proxyHost=${LOOPBACK}`,
          `-Dhttp.proxyPort=${port}`,
          `-Dhttps.proxyHost=${LOOPBACK}`,
          `-Dhttps.proxyPort=${port}`,
        ]
      : [
          `-DsocksProxyHost=${LOOPBACK}`,
          `-DsocksProxyPort=${port}`,
          ...(scheme === 'socks4' ? ['-DsocksProxyVersion=4'] : []),
        ];
  // http.nonProxyHosts (which https uses too) replaces Java's default, localhost|127.*|[::1]: written out again.
  // The SOCKS selector's own list is left alone: every ignore-dst entry then goes through the proxy, and says so.
  const entries = [...(s.ignoreDstIps.all ? ['*'] : s.ignoreDstIps.entries), ...s.ignoreDstHosts.entries];
  const patterns = entries.map((entry) => ({ entry, pattern: scheme === 'http' ? javaPattern(entry) : undefined }));
  const said = patterns.flatMap((p) => (p.pattern ? [p.pattern] : []));
  if (said.length) flags.push(`-Dhttp.nonProxyHosts=${['localhost', '127.*', '[::1]', ...said].join('|')}`);
  return { flags: flags.join(' '), unsaid: patterns.filter((p) => !p.pattern).map((p) => p.entry) };
});
