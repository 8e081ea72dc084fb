/**
 * What each proxy type asks of the app, in one place (Speedscale's Proxy Modes page): `forward` and `dual`
 * run a forward proxy the app must send its outbound traffic to; `reverse` and `dual` a reverse proxy that
 * callers must reach on the inbound port; `transparent` redirects both with iptables and asks nothing.
 */
import type { Settings } from './settings.generated';

/** The proxy type runs a forward proxy on the out-port, which the app must use itself. */
export const forwardsOutbound = (s: Pick<Settings, 'proxyType'>): boolean =>
  s.proxyType === 'forward' || s.proxyType === 'dual';

/** The proxy type runs a reverse proxy on the in-port, in front of proxy-host:proxy-port. */
export const reversesInbound = (s: Pick<Settings, 'proxyType'>): boolean =>
  s.proxyType === 'reverse' || s.proxyType === 'dual';

/** The app containers get the proxy variables (appProxyEnv, where the mode needs them). */
export const appProxyApplies = (s: Pick<Settings, 'proxyType' | 'appProxyEnv'>): boolean =>
  s.appProxyEnv && forwardsOutbound(s);

/** The Services that select the pods are pointed at the reverse proxy's in-port (serviceTargetPort: proxy). */
export const pointsServices = (s: Pick<Settings, 'proxyType' | 'serviceTargetPort'>): boolean =>
  s.serviceTargetPort === 'proxy' && reversesInbound(s);
