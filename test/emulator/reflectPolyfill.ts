/**
 * The few Reflect metadata functions tsyringe checks for at load time.
 *
 * @peculiar/x509 depends on tsyringe, which throws on import unless `Reflect.getMetadata` exists
 * (x509 README, "Reflect Polyfill Required"). The project has no reflect-metadata package, and x509
 * is compiled without `emitDecoratorMetadata`, so tsyringe only ever stores and reads back its own
 * injection tokens: a small map-backed implementation is enough. Import this before @peculiar/x509.
 * Functions that already exist (a real polyfill loaded first) are left alone.
 */
type MetadataKey = unknown;
type Target = object;

const store = new WeakMap<Target, Map<string | symbol | undefined, Map<MetadataKey, unknown>>>();

function ownMap(
  target: Target,
  property: string | symbol | undefined,
  create: boolean,
): Map<MetadataKey, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let values = byProperty.get(property);
  if (!values && create) {
    values = new Map();
    byProperty.set(property, values);
  }
  return values;
}

const reflect = Reflect as unknown as Record<string, unknown>;

if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (
    key: MetadataKey,
    value: unknown,
    target: Target,
    property?: string | symbol,
  ): void => {
    ownMap(target, property, true)?.set(key, value);
  };
  reflect.getOwnMetadata = (
    key: MetadataKey,
    target: Target,
    property?: string | symbol,
  ): unknown => ownMap(target, property, false)?.get(key);
  reflect.getMetadata = (key: MetadataKey, target: Target, property?: string | symbol): unknown => {
    for (
      let current: Target | null = target;
      current;
      current = Object.getPrototypeOf(current) as Target | null
    ) {
      const values = ownMap(current, property, false);
      if (values?.has(key)) return values.get(key);
    }
    return undefined;
  };
}

export {};
