import pinnedDefaults from '../../imports/server-defaults.json';

/**
 * The part of a CRD's structural schema that carries `default:` values, as `npm run import` extracts it
 * from the pinned CRDs (scripts/crd-defaults.mjs).
 */
export interface DefaultsSchema {
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, DefaultsSchema>>;
  readonly items?: DefaultsSchema;
  readonly additionalProperties?: DefaultsSchema;
}

/** A default the API server would add to a document, at a JSON pointer. */
export interface ServerDefault {
  readonly pointer: string;
  readonly value: unknown;
}

/** The pinned CRDs' defaults by `<group>/<version>/<kind>`; core kinds are not in it (see {@link withServerDefaults}). */
const PINNED: Readonly<Record<string, DefaultsSchema>> = pinnedDefaults;

/** The defaults schema of a kind, or undefined when it is not one of the pinned CRDs. */
export function pinnedDefaultsOf(apiVersion: string, kind: string): DefaultsSchema | undefined {
  return Object.prototype.hasOwnProperty.call(PINNED, `${apiVersion}/${kind}`) ? PINNED[`${apiVersion}/${kind}`] : undefined;
}

/**
 * The defaults the API server would fill in inside list items of `document`, in document order. The
 * server defaults a missing field whose parent exists, then defaults inside what it added
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go). Only list items
 * count: Argo CD syncs with `ServerSideApply=true`, so it diffs with structured-merge-diff
 * (gitops-engine pkg/diff/diff.go, structuredMergeDiff), which keeps a live map field Git does not
 * set but replaces an atomic CRD list whole, so a defaulted field inside an item is a diff forever.
 * It patches the Go defaults of built-in kinds into both sides (normalizeTypedValue), which is why
 * core kinds need nothing here.
 */
export function missingServerDefaults(document: unknown, schema: DefaultsSchema): ServerDefault[] {
  const found: ServerDefault[] = [];
  visit(structuredClone(document), schema, '', false, (pointer, value) => found.push({ pointer, value }));
  return found;
}

/**
 * `document` as the API server will store it: every default it would add inside a list item
 * written out, keys sorted as cdk8s sorts them, so that Argo CD finds nothing to re-apply.
 * `document` itself is changed and returned; a kind without pinned defaults comes back as it was.
 */
export function withServerDefaults<T>(document: T): T {
  const { apiVersion, kind } = (document ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const schema = typeof apiVersion === 'string' && typeof kind === 'string' ? pinnedDefaultsOf(apiVersion, kind) : undefined;
  if (schema) visit(document, schema, '', false, () => undefined);
  return document;
}

type Json = Record<string, unknown>;

function visit(value: unknown, schema: DefaultsSchema, pointer: string, inListItem: boolean, added: (pointer: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => visit(item, schema.items!, `${pointer}/${i}`, true, added));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Json;
  let changed = false;
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    if (inListItem && object[name] === undefined && child.default !== undefined) {
      object[name] = structuredClone(child.default);
      added(`${pointer}/${escape(name)}`, child.default);
      changed = true;
    }
    if (object[name] !== undefined) visit(object[name], child, `${pointer}/${escape(name)}`, inListItem, added);
  }
  if (schema.additionalProperties) {
    for (const [name, child] of Object.entries(object)) {
      if (!schema.properties?.[name]) visit(child, schema.additionalProperties, `${pointer}/${escape(name)}`, inListItem, added);
    }
  }
  if (changed) sortKeys(object);
}

/** Re-inserts the keys in sorted order, as cdk8s's `toJson()` emits them. */
function sortKeys(object: Json): void {
  const entries = Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key] of entries) delete object[key];
  for (const [key, value] of entries) object[key] = value;
}

/** A JSON pointer segment (RFC 6901). */
function escape(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
