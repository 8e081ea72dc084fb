/** Names of everything the function adds (the vocabulary shared by render, checks and removal). */
export const SIDECAR = 'speedscale-goproxy';
export const INIT_IPTABLES = 'speedscale-initproxy-iptables';
export const INIT_SMARTDNS = 'speedscale-initproxy-smartdns';
export const OWN_CONTAINERS = [SIDECAR, INIT_IPTABLES, INIT_SMARTDNS] as const;
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
