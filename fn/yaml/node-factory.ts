/**
 * `yaml` nodes made without their constructors. Each constructor stamps the node's type with
 * Object.defineProperty, which was a fifth of the fast parser's time; here the type sits on a prototype
 * that inherits from the class, so `instanceof`, isMap/isScalar/isPair and every method work as after `new`.
 * test/unit/fast-parse.test.ts holds these nodes to `yaml`'s own.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

// `yaml` keys its type checks on these registered symbols (nodes/identity.js).
const NODE_TYPE = Symbol.for('yaml.node.type');

function prototype(of: { prototype: object }, type: string, collection = false): object {
  const proto = Object.create(of.prototype) as object;
  Object.defineProperty(proto, NODE_TYPE, { value: Symbol.for(`yaml.${type}`) });
  // A collection's constructor leaves `schema` as an own, non-enumerable, writable property.
  if (collection) Object.defineProperty(proto, 'schema', { value: undefined, writable: true, configurable: true });
  return proto;
}

/**
 * Plain constructors over those prototypes: `new` on a function gives objects whose properties sit in the
 * object itself, where Object.create(prototype) put the ones added later in a separate store (an allocation
 * more per node, and slower stores).
 */
type Maker<T> = new (a?: unknown, b?: unknown) => T;
const over = <T>(make: (this: T, a?: unknown, b?: unknown) => void, proto: object): Maker<T> => {
  make.prototype = proto;
  return make as unknown as Maker<T>;
};
const FastScalar = over<Scalar>(
  function (value) {
    this.value = value;
  },
  prototype(Scalar, 'scalar'),
);
const FastMap = over<YAMLMap>(
  function () {
    this.items = [];
  },
  prototype(YAMLMap, 'map', true),
);
const FastSeq = over<YAMLSeq>(
  function () {
    this.items = [];
  },
  prototype(YAMLSeq, 'seq', true),
);
const FastPair = over<Pair>(
  function (key, value) {
    this.key = key;
    this.value = value;
  },
  prototype(Pair, 'pair'),
);

export const newScalar = (value: unknown): Scalar => new FastScalar(value);
export const newMap = (): YAMLMap => new FastMap();
export const newSeq = (): YAMLSeq => new FastSeq();
export const newPair = (key: unknown, value: unknown): Pair => new FastPair(key, value);
