/**
 * Kubernetes resource quantities compared as the API server compares them: exactly. `700m` and `0.7` are one
 * amount; as floating-point numbers they were not (0.7 against 0.7000000000000001).
 */

const DECIMAL: Readonly<Record<string, number>> = {
  '': 0,
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** An amount as a fraction of integers. */
export interface Amount {
  num: bigint;
  den: bigint;
}

/** A quantity as a fraction of integers, or undefined for anything that is not one. */
export function exact(quantity: unknown): Amount | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(String(quantity).trim());
  // Own keys only: `1constructor` is no quantity, whatever Object.prototype holds.
  if (!match || !(match[2] || match[3]) || !(Object.hasOwn(DECIMAL, match[5]) || Object.hasOwn(BINARY, match[5])))
    return undefined;
  // An exponent is a suffix of its own (decimalExponent): `1e3m` is no quantity.
  if (match[4] !== undefined && match[5] !== '') return undefined;
  const [, sign, whole, fraction = '', exponent = '0', suffix] = match;
  const ten = Number(exponent) - fraction.length + (DECIMAL[suffix] ?? 0);
  if (Math.abs(ten) > 100) return undefined;
  const num = BigInt(`${sign}${whole}${fraction}` || '0') * 2n ** BigInt(BINARY[suffix] ?? 0);
  return ten >= 0 ? { num: num * 10n ** BigInt(ten), den: 1n } : { num, den: 10n ** BigInt(-ten) };
}

/** How `a` compares with `b` (-1, 0, 1), or undefined when either is not a quantity. */
export function compareQuantities(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  const [x, y] = [exact(a), exact(b)];
  return x && y ? compareAmounts(x, y) : undefined;
}

export function compareAmounts(x: Amount, y: Amount): -1 | 0 | 1 {
  const [left, right] = [x.num * y.den, y.num * x.den];
  return left < right ? -1 : left > right ? 1 : 0;
}

export const ZERO: Amount = { num: 0n, den: 1n };

export const addAmounts = (x: Amount, y: Amount): Amount => ({
  num: x.num * y.den + y.num * x.den,
  den: x.den * y.den,
});

/** An amount rounded up to millis, as the API server stores every resource quantity (SetDefaults_ResourceList). */
export function roundUpMilli({ num, den }: Amount): Amount {
  const millis = (num * 1000n) / den; // toward zero: already up for a negative amount
  return { num: millis * den < num * 1000n ? millis + 1n : millis, den: 1000n };
}

export const maxAmount = (x: Amount, y: Amount): Amount => (compareAmounts(x, y) < 0 ? y : x);

/** The units bytes are written in, the first that gives a whole number taken: mebibytes, as requests mostly are. */
const BYTE_UNITS: readonly (readonly [string, bigint])[] = [
  ['Mi', 2n ** 20n],
  ['M', 10n ** 6n],
  ['Ki', 2n ** 10n],
  ['k', 10n ** 3n],
];

/**
 * An amount as Kubernetes would write it for people: `96Mi`, `100M` (bytes in a whole number of a unit, for a
 * resource counted in bytes), `350m`, `2`; a decimal where none is whole.
 */
export const formatAmount = (amount: Amount, resource = ''): string => formatAmounts([amount], resource)[0];

/**
 * Amounts read side by side (a ceiling and what goes past it), as formatAmount writes each, bytes in the first unit
 * every one of them is whole in, else in bytes: `400M` beside `390Mi` would read as the smaller.
 */
export function formatAmounts(amounts: readonly Amount[], resource = ''): string[] {
  const whole = (n: bigint, d: bigint) => n % d === 0n;
  const bytes = resource === 'cpu' ? [] : amounts.filter(({ num }) => num !== 0n);
  const unit = bytes.length
    ? BYTE_UNITS.find(([, size]) => bytes.every(({ num, den }) => whole(num, den * size)))
    : undefined;
  return amounts.map(({ num, den }) => {
    if (unit && num !== 0n) return `${num / (den * unit[1])}${unit[0]}`;
    if (whole(num, den)) return String(num / den);
    if (whole(num * 1000n, den)) return `${(num * 1000n) / den}m`;
    return String(Number(num) / Number(den));
  });
}
