// Writes the `default:` values of the pinned CRDs' schemas, pruned to the paths that lead to one, so
// that the synth can write out what the API server would otherwise add (lib/synth/server-defaults.ts).
// Usage: node scripts/crd-defaults.mjs OUT.json CRD_FILE...   (run by scripts/import-crds.sh)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/**
 * The part of a structural schema that holds defaults: only `properties`, `items` and
 * `additionalProperties` can carry one (a structural schema allows no default under allOf, anyOf,
 * oneOf or not), so nothing else is kept.
 */
function prune(schema) {
  if (!schema || typeof schema !== 'object') return undefined;
  const node = {};
  if (schema.default !== undefined) node.default = schema.default;
  if (schema.properties) {
    const properties = {};
    for (const name of Object.keys(schema.properties).sort()) {
      const child = prune(schema.properties[name]);
      if (child) properties[name] = child;
    }
    if (Object.keys(properties).length) node.properties = properties;
  }
  const items = prune(schema.items);
  if (items) node.items = items;
  const values = typeof schema.additionalProperties === 'object' ? prune(schema.additionalProperties) : undefined;
  if (values) node.additionalProperties = values;
  return Object.keys(node).length ? node : undefined;
}

const [out, ...files] = process.argv.slice(2);
if (!out || files.length === 0) {
  console.error('error: usage: node scripts/crd-defaults.mjs OUT.json CRD_FILE...');
  process.exit(2);
}
const table = {};
for (const file of files) {
  for (const document of parseAllDocuments(readFileSync(file, 'utf-8'))) {
    const crd = document.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions.filter(v => v.served)) {
      table[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = prune(version.schema?.openAPIV3Schema) ?? {};
    }
  }
}
const sorted = Object.fromEntries(Object.keys(table).sort().map(key => [key, table[key]]));
writeFileSync(out, `${JSON.stringify(sorted, null, 2)}\n`);
