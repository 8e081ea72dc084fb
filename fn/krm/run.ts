/** The whole KRM function as a function of its input text: what main, the CLI and the tests call. */
import { readFunctionConfig } from '../config/function-config';
import { failure, failureReason, isStackOverflow } from '../failure';
import { printable, printableName } from '../printable';
import { readNamespaces, type Namespaces } from '../inject/namespaces';
import { nullItem } from '../inject/not-a-resource';
import { processResource, type RunOptions } from '../inject/process';
import { unlessShared } from '../inject/list';
import { REASONS } from '../reasons';
import { fileOf, parseResource, type TypeMeta } from '../resource';
import { readNetworkPolicies, type NetworkPolicy } from '../inject/network-policies';
import { asksForTargets, readPodTargets, readServices, type PodTarget, type ServiceSelector } from '../inject/services';
import { InputError, readResourceList } from './read';
import { asMap, asText } from '../shape';
import { allResults, type Outcome } from '../outcome';
import { aliasMayAsk, anchorSetBefore, itemPlace, itemSyntaxError, type SplitList } from './split';
import { ANNOTATION_PREFIX } from '../vocabulary';
import { nestingAt } from '../yaml/nesting';
import { aliasUses, unresolvedAlias } from '../yaml/shared-anchors';
import { looksMalformed } from '../yaml/scan';
import { failedResourceList, writeResourceList } from './write';
import { hasErrors, krmResult, resultFor, type Result } from '../results';

export interface RunStatus {
  /** One line per error, for kustomize users, who never see the results. */
  stderr: string;
  exitCode: number;
}

export interface RunOutput extends RunStatus {
  readonly stdout: string;
  /** stdout in the pieces it was written in. */
  readonly parts: readonly string[];
}

const BOM = '\uFEFF';

/** The whole output, collected: for the tests and the CLI's small inputs. */
export function run(input: string): RunOutput {
  const parts: string[] = [];
  const status = stream(input, (text) => parts.push(text));
  let stdout: string | undefined;
  return {
    ...status,
    parts,
    get stdout() {
      return (stdout ??= parts.join(''));
    },
  };
}

/**
 * Writes the output ResourceList to `write` in order, each item as soon as it is done, so memory does not
 * grow with the output. Everything that can fail the whole run (the list itself, the functionConfig) is
 * read before the first write; from then on a problem belongs to one item, which is copied through as it
 * came, with an error result, so a stream already begun is never contradicted.
 */
export function stream(input: string, write: (text: string) => void): RunStatus {
  // A byte-order mark goes out as it came in, in front of everything.
  if (input.startsWith(BOM)) {
    write(BOM);
    input = input.slice(1);
  }
  let list;
  try {
    list = readResourceList(input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    write(failedResourceList(error.message));
    return { stderr: `sidecar-injector: ${error.message}\n`, exitCode: 1 };
  }
  const { config, problems } = readFunctionConfig(list.functionConfig, list.functionConfigAt);
  const fc = asMap(list.functionConfig);
  const fcMetadata = asMap(fc.metadata);
  // kpt's configPath sends the package's own file, with its path: an error there names it, as any item's does.
  const fcFile = fileOf((key) => {
    const value = asMap(fcMetadata.annotations)[key];
    return typeof value === 'string' ? value : undefined;
  });
  const fcMeta = {
    apiVersion: asText(fc.apiVersion),
    kind: asText(fc.kind),
    name: asText(fcMetadata.name),
    ...(typeof fcMetadata.namespace === 'string' && { namespace: fcMetadata.namespace }),
    ...(fcFile && { file: fcFile }),
  };
  const results: Result[] = problems.map((p) => {
    const result = resultFor(
      fcMeta,
      'error',
      `invalid functionConfig: ${p.message}`,
      p.field || undefined,
      'invalid-config',
    );
    // A functionConfig that is no object, or has no kind, is no resource to refer to.
    if (!fcMeta.kind) delete result.resourceRef;
    return result;
  });
  const processItem = problems.length ? undefined : itemProcessor(config, list.split);
  writeResourceList(
    list.split,
    (text, index) => {
      const outcome = safely(
        list.split,
        text,
        index,
        () => processItem?.(text, index) ?? unparsed(list.split, text, index),
      );
      results.push(...outcome.results);
      return outcome.text;
    },
    () => [...list.results, ...results],
    write,
  );
  const errors = results.filter((r) => r.severity === 'error');
  // failOn: never reports the errors all the same, and exits 0; a functionConfig it cannot read still fails.
  const fails = problems.length > 0 || (hasErrors(results) && config.failOn !== 'never');
  return {
    stderr: errors.map((r) => `sidecar-injector: ${printable(describe(r))}\n`).join(''),
    exitCode: fails ? 1 : 0,
  };
}

/**
 * An item nobody parses stays text, so a syntax error (or an alias that names no anchor) in it would pass
 * silently: a cheap scan finds the suspects, and `yaml` confirms them.
 */
function unparsed(split: SplitList, text: string, index: number): { text: string; results: Result[] } {
  if (EMPTY_ITEM.test(text)) return { text, results: nullItem(text, `item ${index}`).results };
  // (a native search first: most items hold no `*`, and the expression would scan all of them)
  const broken =
    (looksMalformed(text) || (text.includes('*') && MAY_HOLD_ALIAS.test(text))) && itemSyntaxError(split, index);
  if (broken) return { text, results: [malformed(broken)] };
  // Our keys may reach it only through an alias to an earlier item (`annotations: *shared`).
  const mayAsk = text.includes('*') && MAY_HOLD_ALIAS.test(text) && aliasMayAsk(split, index);
  if (mayAsk) return { text, results: [outsideAnchor(split, index, mayAsk)] };
  // A value that is no map is no resource, whatever it mentions: what is not plainly a map is read to know.
  const read = PLAIN_MAP_ITEM.test(text) ? undefined : parseResource(text);
  return {
    text,
    results: read && 'notMap' in read && read.notMap ? [notAResource(split, index, read.notMap, read.at)] : [],
  };
}

/** A `*` where a token starts: an alias, which may name no anchor, or expand beyond bounds. */
const MAY_HOLD_ALIAS = /(?:^|[\s[{,])\*[^\s,[\]{}]/;

/** An item that opens with a plain or quoted key (`- apiVersion: v1`), as kpt writes every one: a map. */
const PLAIN_MAP_ITEM = /^-[ \t]+(?:[A-Za-z_][\w./-]*|"[^"\\\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]|\r?\n)/;

/** An item that holds a value other than a map (`what`, at `at` in it): kpt refuses such a list too. */
const notAResource = (split: SplitList, index: number, what: string, at?: number): Result => ({
  message: `${itemPlace(split, index, at)}: ${REASONS['not-a-resource'](what)}`,
  severity: 'error',
  tags: { reason: 'not-a-resource' },
});

/**
 * One item's text and results, with what its reading throws (input beyond the parsers' recursion, a bug) as
 * its error, at its place, so the items after it are still processed.
 */
function safely(
  split: SplitList,
  text: string,
  index: number,
  item: () => { text: string; results: Result[] },
): { text: string; results: Result[] } {
  try {
    return item();
  } catch (error) {
    const at = isStackOverflow(error) ? nestingAt(text) : undefined;
    const message = `${itemPlace(split, index, at)}: ${failure(error)}`;
    return { text, results: [{ message, severity: 'error', tags: { reason: failureReason(error) } }] };
  }
}

/** An item with nothing but null in it: `-`, `- ~`, `- null`, comments and blank lines after. */
const EMPTY_ITEM = /^-(?:[ \t]+(?:~|null|Null|NULL))?[ \t]*(?:#.*)?(?:\r?\n[ \t]*(?:#.*)?)*\r?\n?$/;

/**
 * The items' processing: candidates only (undefined for the rest), each on its own, so a failure stays with
 * its item. Parsing a candidate finds its syntax errors.
 */
function itemProcessor(config: RunOptions['config'], split: SplitList) {
  const candidate = isCandidate(config);
  // Package-wide facts are read on first use: a package without namespaced workloads never pays for the
  // Namespace scan, one without serviceTargetPort never reads its Services or its workloads' pods twice.
  let namespaces: Namespaces | undefined;
  let targets: PodTarget[] | undefined;
  let services: ServiceSelector[] | undefined;
  let policies: NetworkPolicy[] | undefined;
  let asks: boolean | undefined;
  const asksTargets = () => (asks ??= config.serviceTargetPort === 'proxy' || split.items.some(asksForTargets));
  const wanted = (text: string) => candidate(text) || (text.includes('kind: Service') && asksTargets());
  const workloads: RunOptions = {
    config,
    candidate,
    get namespaces() {
      return (namespaces ??= readNamespaces(split.items));
    },
  };
  const options: RunOptions = {
    config,
    candidate: wanted,
    get namespaces() {
      return workloads.namespaces;
    },
    get podTargets() {
      const process = (text: string, implied?: TypeMeta) => processResource(text, workloads, implied);
      return (targets ??= asksTargets() ? readPodTargets(split.items, process, candidate, config.targets) : []);
    },
    get services() {
      return (services ??= readServices(split.items));
    },
    get networkPolicies() {
      return (policies ??= readNetworkPolicies(split.items));
    },
  };
  let uses: ((name: string, from: number) => boolean) | undefined;
  return (text: string, index: number): { text: string; results: Result[] } | undefined => {
    if (!wanted(text) || EMPTY_ITEM.test(text)) return undefined;
    // An anchor here may be used through an alias in this item or a later one.
    const used = (name: string) => (uses ??= aliasUses(split.items))(name, index);
    const outcome = unlessShared(text, processResource(text, options), used);
    // A candidate `yaml` cannot read (a duplicate key, an undefined alias): named by item, line and column.
    const broken = malformedIn(outcome, 0);
    if (broken) {
      const alias = unresolvedAlias(broken.detail);
      if (alias !== undefined && anchorSetBefore(split, index)(alias))
        return { text, results: [outsideAnchor(split, index, { name: alias, at: broken.at })] };
      return { text, results: [malformed(`${itemPlace(split, index, broken.at)}: ${broken.detail}`)] };
    }
    if (outcome.reason === 'not-an-object')
      return { text, results: [notAResource(split, index, outcome.detail ?? '', outcome.at)] };
    return { text: outcome.text, results: allResults(outcome).map(krmResult) };
  };
}

/**
 * What `yaml` said of the resource, or of the first List item, that it could not read, and where (an offset
 * in the text of the outcome at `start`).
 */
function malformedIn(o: Outcome, start: number): { detail: string; at: number } | undefined {
  if (o.reason === 'malformed-yaml') {
    const at = o.results.find((r) => r.at !== undefined)?.at;
    return { detail: o.detail ?? '', at: start + (at ?? 0) };
  }
  for (const item of o.items ?? []) {
    const broken = malformedIn(item, start + (item.offset ?? 0));
    if (broken) return broken;
  }
  return undefined;
}

/** Item `index` uses an earlier item's anchor (`name`, at `at` in it), which it cannot be read without. */
const outsideAnchor = (split: SplitList, index: number, { name, at }: { name: string; at: number }): Result => ({
  message: `${itemPlace(split, index, at)}: ${REASONS['outside-anchor'](name)}`,
  severity: 'error',
  tags: { reason: 'outside-anchor' },
});

const malformed = (message: string): Result => ({ message, severity: 'error', tags: { reason: 'malformed-yaml' } });

/**
 * Cheap pre-filter: an item can only need work if it mentions a Speedscale key (annotation, label or
 * record), unless the config injects every workload by default. A key in double quotes may escape its
 * slash (`sidecar.speedscale.com\/inject`, `\u002F`): that is a mention too, and the parse reads it. Any
 * other character of it can only be written as a hex escape (`\x2E`, `\u002E`, `\U0000002E`) or split by
 * an escaped line break: an item with one of those is parsed, whatever it spells.
 */
function isCandidate(config: { inject?: boolean }): (text: string) => boolean {
  if (config.inject) return () => true;
  // A mention in a comment line only (a commented-out opt-in) does not count.
  return (text) =>
    (text.includes(DOMAIN) && MENTION_OUTSIDE_COMMENT.test(text)) ||
    (text.includes('\\') && MAY_SPELL_IT_ESCAPED.test(text));
}

const MAY_SPELL_IT_ESCAPED = /\\[xuU]|\\\r?\n/;

const DOMAIN = ANNOTATION_PREFIX.slice(0, -1);
// (?=(...))\1 takes all the indentation at once (no backtracking into it), so (?!#) sees the first character.
const MENTION_OUTSIDE_COMMENT = /^(?=([ \t]*))\1(?!#)[^\n]*sidecar\.speedscale\.com[/\\]/m;

/**
 * An error as one stderr line, named as the command line names it (`k8s/web.yaml: Deployment/web in demo:`):
 * kustomize shows only stderr, where two overlays' `web` would otherwise read the same. The names are the
 * input's, escaped so that a line feed in one cannot split the line.
 */
function describe(r: Result): string {
  const file = r.file?.path ? `${printableName(r.file.path)}: ` : '';
  const ref = r.resourceRef;
  const what = ref ? `${ref.kind}/${ref.name || '(no name)'}${ref.namespace ? ` in ${ref.namespace}` : ''}` : '';
  return `${file}${what && `${printableName(what)}: `}${r.message}`;
}
