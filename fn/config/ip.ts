/**
 * IP address syntax, as node:net's isIPv4/isIPv6 read it, without loading node:net:
 * that module brings the whole stream stack with it, a few milliseconds of every run's start-up.
 * test/unit/ip.test.ts holds it to node:net.
 */
const V4_SEGMENT = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4 = `(?:${V4_SEGMENT}\\.){3}${V4_SEGMENT}`;
const IPV4 = new RegExp(`^${V4}$`);
export const isIPv4 = (text: string): boolean => IPV4.test(text);

/**
 * The names every pod's /etc/hosts (the kubelet writes it) gives a loopback address: a pod resolves them
 * without DNS, and its loopback traffic is not policed.
 */
export const LOOPBACK_NAMES = ['localhost', 'ip6-localhost', 'ip6-loopback'] as const;

/**
 * node:net's IPv6 expression, read by hand: that expression took V8 4 to 7 ms to compile on first use, in
 * every run whose ignore lists hold an entry that is not IPv4. Eight groups of 1 to 4 hex digits, the last two of which
 * may be a dotted IPv4 address; or at most seven around one `::`; then an optional zone (`%eth0`).
 */
export function isIPv6(text: string): boolean {
  const percent = text.indexOf('%');
  if (percent !== -1 && !ZONE.test(text.slice(percent + 1))) return false;
  const address = percent === -1 ? text : text.slice(0, percent);
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const last = groups[groups.length - 1];
  // A dotted IPv4 address ends the address, in place of two groups.
  const v4 = last.length > 0 && last[last.length - 1].includes('.');
  if (v4 && !isIPv4(last.pop()!)) return false;
  if (!groups.every((half) => half.every(isHexGroup))) return false;
  const count = groups.reduce((sum, half) => sum + half.length, v4 ? 2 : 0);
  return halves.length === 2 ? count <= 7 : count === 8;
}

const ZONE = /^[0-9a-zA-Z.:-]+$/;

function isHexGroup(group: string): boolean {
  if (group.length < 1 || group.length > 4) return false;
  for (let i = 0; i < group.length; i++) {
    const c = group.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
/** 4, 6, or 0 for neither. */
export const isIP = (text: string): 0 | 4 | 6 => (isIPv4(text) ? 4 : isIPv6(text) ? 6 : 0);

/**
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, in any spelling): a connection to it is IPv4 on the wire, so
 * ip6tables never sees it and an ignore-list entry of that form would never match.
 */
export function isV4Mapped(text: string): boolean {
  if (!isIPv6(text)) return false;
  const words = (half: string) =>
    half === '' ? [] : half.split(':').flatMap((group) => (group.includes('.') ? ['v4', 'v4'] : [group]));
  const [head, tail] = text.split('%')[0].toLowerCase().split('::').map(words);
  const groups =
    tail === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return groups.slice(0, 5).every((group) => Number.parseInt(group, 16) === 0) && groups[5] === 'ffff';
}
