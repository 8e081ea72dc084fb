/** The resolved settings of one workload: every key of schemas/sidecar-injector.v1alpha1.json (a test keeps them in step). */
export interface Target {
  group?: string;
  version?: string;
  kind: string;
  path: string;
}

export interface Settings {
  image: string;
  initImage?: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  forwarderAddr: string;
  logLevel: string;
  proxyUid: number;
  privileged: boolean;
  proxySecurityContext: 'operator' | 'hardened';
  uninstall: boolean;
  mode: 'inject' | 'check';
  targets?: Target[];
  inject: boolean;
  insertInitFirst: boolean;
  captureMode: 'proxy';
  captureNodeTraffic: boolean;
  hostResolution: 'smart' | 'standard' | 'none';
  proxyType: 'transparent' | 'reverse' | 'forward' | 'dual';
  proxyProtocol: string;
  proxyHost: string;
  proxyPort: number;
  proxyInPort: number;
  proxyOutPort: number;
  tlsOut: boolean;
  tlsJavaToolOptions: boolean;
  tlsJavaToolOptionsValue?: string;
  tlsOutSecret: string;
  tlsJavaSecret: string;
  tlsInSecret?: string;
  tlsInPrivate: string;
  tlsInPublic: string;
  tlsMutualSecret?: string;
  tlsMutualPrivate: string;
  tlsMutualPublic: string;
  ignoreSrcIps: string;
  ignoreDstIps: string;
  ignoreSrcHosts: string;
  ignoreDstHosts: string;
  ignoreInboundPorts: string;
  ignoreOutboundPorts: string;
  ignoreLoopback: boolean;
  trackLoopback: boolean;
  cpuRequest: string;
  cpuLimit?: string;
  memoryRequest: string;
  memoryLimit?: string;
  ephemeralStorageRequest?: string;
  ephemeralStorageLimit?: string;
  prometheusPort?: number;
  prometheusEnableScrapeAnnotations: boolean;
  extraContainerEnvVars?: string;
  istioCni: boolean;
  kubeApiSupport: boolean;
  diagnostics: boolean;
  mountKnownCa: boolean;
  nativeSidecar: boolean;
  redirect: 'script' | 'iptables';
}
