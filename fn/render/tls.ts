/**
 * TLS unwrapping: the secrets the proxy mounts, the env that tells it where they are, and the trust the app
 * containers need to accept the certificates the proxy mints. The CA's private key is mounted only into the
 * proxy; the app containers get the certificate and the Java truststore (optional) from a projected volume.
 */
import type { Settings } from '../config/settings.generated';
import { VOLUMES } from '../vocabulary';
import { env, type EnvVar } from './env';

export const TLS_CERT_DIR = '/etc/ssl/speedscale';
const TLS_IN_DIR = '/etc/ssl/speedscale-in';
const TLS_MUTUAL_DIR = '/etc/ssl/speedscale-mutual';
export const CA_FILE = `${TLS_CERT_DIR}/tls.crt`;
const JKS_FILE = `${TLS_CERT_DIR}/jks/cacerts.jks`;
/** The truststore password the Speedscale chart's JKS job uses. */
const JKS_PASSWORD = 'changeit';

/**
 * Trust-store files of common base images (Debian/Ubuntu/Alpine, RHEL/Fedora, LibreSSL). mount-known-ca
 * mounts the CA over them: each mount replaces the system bundle.
 */
export const KNOWN_CA_PATHS = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly: true;
  subPath?: string;
}

interface KeyPair {
  secret?: string;
  dir: string;
  privateKey: string;
  publicKey: string;
}

/** Where the proxy finds an inbound or mutual key pair: in the mounted secret, or at full paths without one. */
function pairPaths(p: KeyPair): { privateKey: string; publicKey: string } | undefined {
  if (p.secret) return { privateKey: `${p.dir}/${p.privateKey}`, publicKey: `${p.dir}/${p.publicKey}` };
  if (p.privateKey.startsWith('/') && p.publicKey.startsWith('/'))
    return { privateKey: p.privateKey, publicKey: p.publicKey };
  return undefined;
}

const tlsIn = (s: Settings) =>
  pairPaths({ secret: s.tlsInSecret, dir: TLS_IN_DIR, privateKey: s.tlsInPrivate, publicKey: s.tlsInPublic });
const mutual = (s: Settings) =>
  pairPaths({
    secret: s.tlsMutualSecret,
    dir: TLS_MUTUAL_DIR,
    privateKey: s.tlsMutualPrivate,
    publicKey: s.tlsMutualPublic,
  });

/** JAVA_TOOL_OPTIONS is written only when asked for; the truststore itself comes with every tls-out. */
const wantsJava = (s: Settings): boolean =>
  s.tlsOut && (s.tlsJavaToolOptions || s.tlsJavaToolOptionsValue !== undefined);
const JAVA_OPTS = `-Djavax.net.ssl.trustStore=${JKS_FILE} -Djavax.net.ssl.trustStorePassword=${JKS_PASSWORD}`;

export function proxyTlsEnv(s: Settings): EnvVar[] {
  const vars: EnvVar[] = [];
  if (s.tlsOut) vars.push(env('TLS_OUT_UNWRAP', 'true'));
  const inbound = tlsIn(s);
  if (inbound)
    vars.push(
      env('TLS_IN_UNWRAP', 'true'),
      env('TLS_IN_PUBLIC_KEY', inbound.publicKey),
      env('TLS_IN_PRIVATE_KEY', inbound.privateKey),
    );
  const client = mutual(s);
  if (client)
    vars.push(env('TLS_MUTUAL_PUBLIC_KEY', client.publicKey), env('TLS_MUTUAL_PRIVATE_KEY', client.privateKey));
  return vars;
}

export function proxyTlsMounts(s: Settings): VolumeMount[] {
  return [
    ...(s.tlsOut ? [{ name: VOLUMES.tlsOut, mountPath: TLS_CERT_DIR, readOnly: true as const }] : []),
    ...(s.tlsInSecret ? [{ name: VOLUMES.tlsIn, mountPath: TLS_IN_DIR, readOnly: true as const }] : []),
    ...(s.tlsMutualSecret ? [{ name: VOLUMES.mutual, mountPath: TLS_MUTUAL_DIR, readOnly: true as const }] : []),
  ];
}

export function tlsVolumes(s: Settings): (Record<string, unknown> & { name: string })[] {
  const secret = (name: string, secretName: string) => ({ name, secret: { secretName } });
  const volumes: (Record<string, unknown> & { name: string })[] = [];
  if (s.tlsOut) {
    // As the operator does, the truststore is always mounted; optional, so a cluster without it still starts.
    const jks = { name: s.tlsJavaSecret, items: [{ key: 'cacerts.jks', path: 'jks/cacerts.jks' }], optional: true };
    const sources = [
      { secret: { name: s.tlsOutSecret, items: [{ key: 'tls.crt', path: 'tls.crt' }] } },
      { secret: jks },
    ];
    volumes.push(secret(VOLUMES.tlsOut, s.tlsOutSecret), { name: VOLUMES.ca, projected: { sources } });
  }
  if (s.tlsInSecret) volumes.push(secret(VOLUMES.tlsIn, s.tlsInSecret));
  if (s.tlsMutualSecret) volumes.push(secret(VOLUMES.mutual, s.tlsMutualSecret));
  return volumes;
}

/**
 * Env that makes the usual runtimes trust the CA (Go/OpenSSL, Node, Python requests); Java's truststore flags
 * as SPEEDSCALE_JAVA_OPTS (the operator's name), and in JAVA_TOOL_OPTIONS only when asked.
 */
export function appTrustEnv(s: Settings): EnvVar[] {
  const vars = s.tlsOut
    ? [
        env('SSL_CERT_FILE', CA_FILE),
        env('NODE_EXTRA_CA_CERTS', CA_FILE),
        env('REQUESTS_CA_BUNDLE', CA_FILE),
        env('SPEEDSCALE_JAVA_OPTS', JAVA_OPTS),
      ]
    : [];
  const java = s.tlsJavaToolOptionsValue ?? (wantsJava(s) ? JAVA_OPTS : undefined);
  if (java !== undefined) vars.push(env('JAVA_TOOL_OPTIONS', java));
  return vars;
}

export function appTrustMounts(s: Settings): VolumeMount[] {
  if (!s.tlsOut) return [];
  const known = s.mountKnownCa
    ? KNOWN_CA_PATHS.map((mountPath) => ({ name: VOLUMES.ca, mountPath, subPath: 'tls.crt', readOnly: true as const }))
    : [];
  return [{ name: VOLUMES.ca, mountPath: TLS_CERT_DIR, readOnly: true }, ...known];
}
