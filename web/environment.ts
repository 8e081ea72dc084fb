/**
 * The Environment step's answers and what each one sets. The answers are a settings layer of their own (web/
 * layers.ts: above the schema's defaults, below the package defaults typed in Configure), so whatever the
 * user types in Configure still wins. A platform with a profile in the core (fn/config/environments.ts) sets
 * the `environment` key and the core applies the profile; the rest are plain config keys.
 */
import { DEFAULTS, ENVIRONMENTS, profileTies, untiedProfile, type Environment } from '../fn/index';
import { registryOf, registryProblem } from './registry';

export type Platform = 'kubernetes' | 'istio' | 'istio-cni' | 'linkerd' | Exclude<Environment, 'default'>;

export interface Answers {
  /** Where the workloads run. */
  platform?: Platform;
  /** Whether Speedscale's operator is installed in the cluster. */
  operator?: boolean;
  /** Where the cluster pulls Speedscale's proxy image from: the public registry, or the user's (state.registry). */
  images?: 'public' | 'mine';
}

interface PlatformAnswer {
  label: string;
  /** Form values (strings, as Configure holds them) the answer sets. */
  config: Readonly<Record<string, string>>;
  /** What else the user should know, in a line. */
  note: string;
}

/** The platforms, in the order the step offers them. */
export const PLATFORMS: Readonly<Record<Platform, PlatformAnswer>> = {
  kubernetes: {
    label: 'Plain Kubernetes (EKS, AKS, GKE Standard, kind, k3s ...)',
    config: {},
    note: 'the transparent sidecar, as Speedscale injects it: nothing to change.',
  },
  istio: {
    label: 'Istio, sidecar mode',
    config: {},
    note:
      'Istio and goproxy both redirect with iptables: every injected workload gets an istio warning with the advice ' +
      '(with redirect: iptables it is refused instead: istio-iptables).',
  },
  'istio-cni': {
    label: 'Istio with its CNI agent',
    config: { istioCni: 'true' },
    note:
      "Istio's CNI agent sets up its redirection outside the pod: istio-cni tells the proxy image's own init " +
      'script (redirect: script, the default) to take it into account; redirect: iptables is refused beside ' +
      'Istio (istio-iptables).',
  },
  linkerd: {
    label: 'Linkerd',
    config: {},
    note:
      "Linkerd's proxy uses goproxy's ports (4143/4140) and uid (2102): a workload Linkerd injects is refused " +
      'with a linkerd error; inject only those that opt out of Linkerd.',
  },
  'gke-autopilot': {
    label: 'GKE Autopilot',
    config: { environment: 'gke-autopilot' },
    note: ENVIRONMENTS['gke-autopilot'].summary,
  },
  openshift: { label: 'OpenShift', config: { environment: 'openshift' }, note: ENVIRONMENTS.openshift.summary },
  restricted: {
    label: 'A namespace under Pod Security restricted',
    config: { environment: 'restricted' },
    note: ENVIRONMENTS.restricted.summary,
  },
};

export const PLATFORM_IDS = Object.keys(PLATFORMS) as Platform[];

/** The proxy image in the user's registry: the default image's name and tag, under their registry and path. */
export function mirroredImage(registry: string): string {
  const image = String(DEFAULTS.image);
  return `${registry.trim().replace(/\/+$/, '')}/${image.slice(image.lastIndexOf('/') + 1)}`;
}

/** What one answer changed: key -> value, in words where the value depends on the workload. */
export interface AnswerChange {
  question: string;
  answer: string;
  /** `perWorkload`: the value is each workload's own (the app's port), not one value for all. */
  changes: { key: string; value: string; perWorkload?: boolean }[];
  note?: string;
}

/** The answers' own keys as form values: the layer Configure's values go on top of. */
export function answersLayer(answers: Answers | undefined, registry: string | undefined): Record<string, string> {
  return Object.fromEntries(
    summary(answers, registry).flatMap(({ direct }) => direct.map(({ key, value }) => [key, value])),
  );
}

/**
 * The same layer with the profile's values spelled out (what `environment` decides, and the app's port where
 * the profile takes it): what the Configure form shows as the value a field falls back to. `given`: the keys
 * the user sets in Configure or an annotation, which drop a profile value tied to them.
 */
export function effectiveLayer(
  answers: Answers | undefined,
  registry: string | undefined,
  given: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const layer = Object.fromEntries(
    summary(answers, registry).flatMap(({ changes }) =>
      changes.filter((c) => !c.perWorkload).map((c) => [c.key, c.value]),
    ),
  );
  // As the core applies the profile: a value tied to a key the user gives goes (config/environments.ts).
  const environment = answers?.platform && PLATFORMS[answers.platform].config.environment;
  return environment ? (untiedProfile(layer, profileTies(environment as Environment), given) as typeof layer) : layer;
}

/** Each answer given, with the keys it changed and to what. */
export const changesOf = (answers: Answers | undefined, registry: string | undefined): AnswerChange[] =>
  summary(answers, registry).map(({ question, answer, changes, note }) => ({
    question,
    answer,
    changes,
    ...(note && { note }),
  }));

function summary(answers: Answers | undefined, registry: string | undefined) {
  const out: (AnswerChange & { direct: { key: string; value: string }[] })[] = [];
  const pairs = (config: Readonly<Record<string, string>>) =>
    Object.entries(config).map(([key, value]) => ({ key, value }));
  if (answers?.platform) {
    const platform = PLATFORMS[answers.platform];
    const direct = pairs(platform.config);
    const profile = platform.config.environment ? ENVIRONMENTS[platform.config.environment as Environment] : undefined;
    const spelled = profile
      ? [
          ...Object.entries(profile.settings).map(([key, v]) => ({
            key,
            value: String(v.value as string | number | boolean),
          })),
          ...(profile.appPort ? [{ key: 'proxyPort', value: "the app's only TCP port", perWorkload: true }] : []),
        ]
      : [];
    out.push({
      question: 'Where it runs',
      answer: platform.label,
      changes: [...direct, ...spelled],
      direct,
      note: platform.note,
    });
  }
  if (answers?.operator !== undefined) {
    const direct = [{ key: 'operatorIgnore', value: String(answers.operator) }];
    out.push({
      question: "Speedscale's operator",
      answer: answers.operator ? 'installed' : 'not installed',
      changes: direct,
      direct,
      note: answers.operator
        ? 'its webhook sees every workload: operator.speedscale.com/ignore keeps it off the ones injected here (the default).'
        : 'no webhook to keep off: the injected workloads carry no operator.speedscale.com/ignore.',
    });
  }
  if (answers?.images) {
    const mine = answers.images === 'mine';
    // A registry that is not one sets no image: its field says why (web/registry.ts).
    const own = registryOf(registry);
    const direct = mine && own ? [{ key: 'image', value: mirroredImage(own) }] : [];
    out.push({
      question: 'Where the images come from',
      answer: mine ? `your registry${own ? `: ${own}` : ''}` : 'the public registries',
      changes: direct,
      direct,
      note: mine
        ? own
          ? `copy ${String(DEFAULTS.image)} there; Wire it in names the function image there too.`
          : registryProblem(registry)
            ? 'fix your registry to set the proxy image.'
            : 'name your registry to set the proxy image.'
        : `the proxy is pulled from ${String(DEFAULTS.image)}.`,
    });
  }
  return out;
}
