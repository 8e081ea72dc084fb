/**
 * Which app container gets which proxy variable (appProxyEnv), and what is left as the user wrote it: one
 * decision per container, shared by the plan (what to add and rewrite) and the checks (what to warn about),
 * so the two cannot disagree. A value the container already sets is never overwritten; JAVA_TOOL_OPTIONS,
 * which a JVM reads as a list of flags, is appended to instead.
 */
import type { Settings } from '../config/settings.generated';
import { appEnv } from '../render/app';
import { appProxyEnv, javaProxyFlags } from '../render/app-proxy';
import type { EnvVar } from '../render/env';
import type { ContainerFacts } from './pod-facts';

export const JAVA_TOOL_OPTIONS = 'JAVA_TOOL_OPTIONS';

/** A case the `app-proxy` check reports, as pod-checks.ts takes it. */
interface Case {
  detail: string;
  field?: string;
}

/** Env vars only a JVM reads: a container that sets one runs Java. */
const JAVA_ENV = [JAVA_TOOL_OPTIONS, 'JDK_JAVA_OPTIONS', 'JAVA_OPTS', 'JAVA_HOME'];

/**
 * JDK and JRE images (the repository, the last part of the image name before its tag), and the servlet
 * containers built on them: a container from one runs Java.
 */
const JAVA_IMAGES = new RegExp(
  '^(?:openjdk|eclipse-temurin|amazoncorretto|ibm-semeru-runtimes|ibmjava|sapmachine|zulu-openjdk[\\w-]*|' +
    'liberica-openjdk[\\w-]*|graalvm-ce|jdk|jre|java\\d*(?:-debian\\d+)?|tomcat|jetty|wildfly)$',
);

/** The repository of an image reference: `registry:5000/team/openjdk:21-jre@sha256:…` -> `openjdk`. */
const repository = (image: string): string => image.split('@')[0].split('/').pop()!.split(':')[0];

/**
 * The rule that finds Java containers (appProxyJava: detect): one that sets a JVM-only variable
 * (JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, JAVA_OPTS, JAVA_HOME), runs `java` (its command's or args' first word),
 * or comes from a JDK/JRE image (openjdk, eclipse-temurin, amazoncorretto, ... and tomcat, jetty, wildfly).
 */
export function runsJava(c: ContainerFacts): boolean {
  if (JAVA_ENV.some((name) => c.env?.includes(name))) return true;
  if (c.runs !== undefined && /(?:^|\/)java$/.test(c.runs)) return true;
  return JAVA_IMAGES.test(repository(c.image));
}

/** What one app container gets: env items to add, a JAVA_TOOL_OPTIONS value to rewrite, and what is kept. */
export interface ContainerProxy {
  add: EnvVar[];
  /** The container's own JAVA_TOOL_OPTIONS with the proxy flags appended. */
  rewriteJavaToolOptions?: string;
  kept: Case[];
}

const NONE: ContainerProxy = { add: [], kept: [] };

/** Why a variable the container already sets is kept, by what the variable does. */
const KEPT: Readonly<Record<string, (c: string, name: string) => string>> = {
  NO_PROXY: (c, name) =>
    `container ${c} sets ${name}: kept, so the hosts it lists bypass the Speedscale proxy and are not captured`,
  proxy: (c, name) =>
    `container ${c} sets ${name}: kept, so capture of the traffic it sends there depends on that proxy, not on the Speedscale one`,
};

export function containerProxy(c: ContainerFacts, index: number, s: Settings): ContainerProxy {
  const vars = appProxyEnv(s);
  if (!vars.length) return NONE;
  const field = `containers[${index}].env`;
  const own = new Set(c.env ?? []);
  // What the user asked for by name (extra-container-env-vars) is rendered instead, with no more to say.
  const extra = new Set(s.extraContainerEnvVars.entries.map((e) => e.name));
  const kept: Case[] = vars
    .filter((v) => own.has(v.name))
    .map((v) => ({ detail: KEPT[v.name.toUpperCase() === 'NO_PROXY' ? 'NO_PROXY' : 'proxy'](c.name, v.name), field }));
  const add = vars.filter((v) => !own.has(v.name) && !extra.has(v.name));
  if (s.appProxyJava !== 'all' && !runsJava(c)) return { add, kept };

  const { flags, unsaid } = javaProxyFlags(s);
  for (const entry of unsaid)
    kept.push({
      detail:
        `container ${c.name}: ignore-dst entry ${entry} cannot be written in Java's http.nonProxyHosts, ` +
        'so the JVM sends it through the proxy',
      field,
    });
  const written = c.javaToolOptions;
  if (written === undefined) {
    // Ours, from tls-java-tool-options, gets the flags in the same variable; otherwise a new one.
    const trust = appEnv(s).find((v) => v.name === JAVA_TOOL_OPTIONS);
    if (!trust) add.push({ name: JAVA_TOOL_OPTIONS, value: flags });
    return { add, kept };
  }
  if ('value' in written && /-D(?:https?\.proxyHost|socksProxyHost)=/.test(written.value)) {
    kept.push({
      detail:
        `container ${c.name}'s ${JAVA_TOOL_OPTIONS} already names a proxy: kept, so capture of the JVM's ` +
        'calls depends on that proxy',
      field,
    });
    return { add, kept };
  }
  if ('fixed' in written || written.times) {
    const fixed = 'fixed' in written ? written.fixed : `is set ${written.times} times, and Kubernetes uses the last`;
    kept.push({
      detail: `container ${c.name}'s ${JAVA_TOOL_OPTIONS} ${fixed}, so it cannot be appended to here: add ${flags} to it`,
      field,
    });
    return { add, kept };
  }
  // The author's value stays, byte for byte, ahead of the flags: after a space, or the whitespace it ends with.
  const value = written.value;
  return { add, kept, rewriteJavaToolOptions: value === '' || /\s$/.test(value) ? value + flags : `${value} ${flags}` };
}

/** The flags appended to our own JAVA_TOOL_OPTIONS (tls-java-tool-options) in a Java container, when any. */
export function trustWithProxy(c: ContainerFacts, s: Settings, value: string): string {
  if (!appProxyEnv(s).length || c.javaToolOptions !== undefined) return value;
  if (s.appProxyJava !== 'all' && !runsJava(c)) return value;
  return `${value} ${javaProxyFlags(s).flags}`;
}
