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

const SCALAR = prototype(Scalar, 'scalar');
const MAP = prototype(YAMLMap, 'map', true);
const SEQ = prototype(YAMLSeq, 'seq', true);
const PAIR = prototype(Pair, 'pair');

export function newScalar(value: unknown): Scalar {
  const node = Object.create(SCALAR) as Scalar;
  node.value = value;
  return node;
}

export function newMap(): YAMLMap {
  const node = Object.create(MAP) as YAMLMap;
  node.items = [];
  return node;
}

export function newSeq(): YAMLSeq {
  const node = Object.create(SEQ) as YAMLSeq;
  node.items = [];
  return node;
}

export function newPair(key: unknown, value: unknown): Pair {
  const node = Object.create(PAIR) as Pair;
  node.key = key;
  node.value = value;
  return node;
}
