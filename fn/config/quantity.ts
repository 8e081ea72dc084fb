/** Kubernetes resource quantities, as numbers to compare. */

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity as a number (`500m` = 0.5, `1Gi` = 2^30), or NaN: `1` and `1000m` are one amount. */
export function amount(quantity: unknown): number {
  const match = /^([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(String(quantity).trim());
  if (!match || !(match[3] in UNITS)) return Number.NaN;
  return Number(match[1]) * 10 ** Number(match[2] ?? 0) * UNITS[match[3]];
}
