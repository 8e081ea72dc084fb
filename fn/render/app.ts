/** What the pod gets besides the Speedscale containers: env and mounts of the app containers, and volumes. */
import type { Settings } from '../config/settings.generated';
import { PROMETHEUS_PATH, PROMETHEUS_PORT, PROMETHEUS_SCRAPE, VOLUMES } from '../vocabulary';
import { env, type EnvVar } from './env';
import { perSettings } from './per-settings';
import { appTrustEnv, appTrustMounts, tlsVolumes, type VolumeMount } from './tls';

export const DIAGNOSTICS_DIR = '/diagnostics';

/** The env every app container gets. What the user asked for by name (extra env) wins over our trust defaults. */
export const appEnv = perSettings((s: Settings): readonly EnvVar[] => {
  const extra = s.extraContainerEnvVars.entries.map(({ name, value }) => env(name, value));
  const named = new Set(extra.map((v) => v.name));
  return [...appTrustEnv(s).filter((v) => !named.has(v.name)), ...extra];
});

export const appMounts = perSettings((s: Settings): readonly VolumeMount[] => appTrustMounts(s));

export const podVolumes = perSettings((s: Settings): readonly (Record<string, unknown> & { name: string })[] => [
  ...tlsVolumes(s),
  ...(s.diagnostics ? [{ name: VOLUMES.diagnostics, emptyDir: {} }] : []),
]);

/** `prometheus-enable-scrape-annotations`: what Speedscale's Prometheus guide shows on the pod. */
export const scrapeAnnotations = perSettings((s: Settings): Readonly<Record<string, string>> => {
  if (s.prometheusPort === undefined || !s.prometheusEnableScrapeAnnotations) return {};
  return {
    [PROMETHEUS_SCRAPE]: 'true',
    [PROMETHEUS_PATH]: '/metrics',
    [PROMETHEUS_PORT]: String(s.prometheusPort),
  };
});
