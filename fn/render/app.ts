/** What the pod gets besides the Speedscale containers: env and mounts of the app containers, and volumes. */
import type { Settings } from '../config/settings-type';
import { PROMETHEUS_PATH, PROMETHEUS_PORT, PROMETHEUS_SCRAPE, VOLUMES } from '../vocabulary';
import { env, type EnvVar } from './env';
import { perSettings } from './per-settings';
import { appTrustEnv, appTrustMounts, tlsVolumes, type VolumeMount } from './tls';

export const DIAGNOSTICS_DIR = '/diagnostics';

/** `extra-container-env-vars`: one KEY=VALUE per line (the schema has checked the shape); a later line wins. */
export function extraEnv(text: string | undefined): EnvVar[] {
  const vars = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const trimmed = line.trim();
    const eq = trimmed.indexOf('=');
    if (eq > 0) vars.set(trimmed.slice(0, eq), trimmed.slice(eq + 1));
  }
  return [...vars].map(([name, value]) => env(name, value));
}

/** The env every app container gets. What the user asked for by name (extra env) wins over our trust defaults. */
export const appEnv = perSettings((s: Settings): readonly EnvVar[] => {
  const extra = extraEnv(s.extraContainerEnvVars);
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
