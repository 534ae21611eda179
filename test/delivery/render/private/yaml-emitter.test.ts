import fc from 'fast-check';
import * as YAML from 'yaml';
import { createYamlEmitter } from '../../../../delivery/render/private/yaml-emitter';

const OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false };

/** Counts how often the emitter hands a document to `yaml` whole. */
function emitter() {
  let calls = 0;
  const counting = { stringify: (value: unknown, options: object) => { if (typeof value !== 'string') calls += 1; return YAML.stringify(value, options); } };
  return { emit: createYamlEmitter(counting, OPTIONS), wholeDocuments: () => calls };
}

/** Strings that need quoting or escaping in some context, which random generation rarely hits. */
const TRICKY = [
  '', ' ', 'yes', 'no', 'on', 'off', 'y', 'n', 'true', 'False', 'NULL', 'null', '~', '42', '-0', '0x1F', '0o17', '1e3', '.5', '+1', '.inf', '-.Inf', '.NaN',
  ' leading', 'trailing ', 'a: b', 'a:b', 'key:', 'x #comment', 'x#y', '#start', '- dash', '-', '?', '? q', ':', '@at', '`tick', '!tag', '&anchor', '*alias',
  '|pipe', '>gt', "'single'", '"double"', 'it\'s "both"', '{flow}', '[seq]', 'a,b', '%percent', '---', '...', 'tab\there', 'bell\u0007', 'nul\u0000',
  'é unicode ✓', '😀', '\u2028', 'a\\b', 'http://x:8080/y?z=1#f', 'sum(rate(x{a="b"}[1m]))', '{{args.canary-hash}}', 'len(result) > 0 && all(result, {# >= 0.99})',
  'multi\nline', 'trailing newline\n', '\n', 'two\n\nnewlines\n\n', ' indented\nblock', 'x'.repeat(1100),
];

const jsonValues = fc.letrec(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.constantFrom(...TRICKY), fc.string(), fc.string({ unit: 'grapheme' })),
    fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, 1e-7, Number.MAX_SAFE_INTEGER)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('map'),
  ),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...TRICKY), fc.string()), fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 4 }),
}));
/**
 * Documents: maps, as every Kubernetes object is, and lists. (A bare top-level string starting with a
 * space and spanning lines is written by yaml 2.9.1 in a form it cannot parse back; no document is one.)
 */
const documents = fc.oneof(jsonValues.map, fc.array(jsonValues.value, { maxLength: 4 }));

/** What a document means once written: map entries without a value are left out, list items without one are null. */
function asWritten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(item => (item === undefined ? null : asWritten(item)));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, asWritten(v)]));
  return value;
}

describe('createYamlEmitter', () => {
  test('GIVEN a Kubernetes-shaped document WHEN emitted THEN it is exactly what yaml writes, without handing it to yaml', () => {
    const { emit, wholeDocuments } = emitter();
    const document = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api', labels: { 'app.kubernetes.io/name': 'api' }, annotations: {} },
      spec: {
        replicas: 3, paused: false, minReadySeconds: 0, revisionHistoryLimit: undefined,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        template: { spec: { containers: [{ name: 'api', image: `ghcr.io/acme/api:1.4.2@sha256:${'a'.repeat(64)}`, args: [], ports: [{ containerPort: 8000, name: 'http' }] }] } },
        strategy: { canary: { steps: [{ setWeight: 10 }, { pause: {} }, { analysis: { templates: [{ templateName: 'api' }], args: [[1, [2, []]], null] } }] } },
        weights: [0.5, -0, 1e21, NaN, Infinity, -Infinity],
      },
    };
    expect(emit(document)).toBe(YAML.stringify(document, OPTIONS));
    expect(wholeDocuments()).toBe(0);
  });

  test.each(TRICKY.map(s => [JSON.stringify(s).slice(0, 40), s]))('GIVEN the string %s as a key, a value and a list item WHEN emitted THEN it is exactly what yaml writes', (_, tricky) => {
    const { emit } = emitter();
    for (const document of [{ [tricky]: tricky }, { list: [tricky, { [tricky]: [tricky] }] }, [tricky], { nested: { deeper: tricky } }]) {
      const emitted = emit(document);
      expect(emitted).toBe(YAML.stringify(document, OPTIONS));
      expect(YAML.parse(emitted)).toEqual(document);
    }
  });

  test('GIVEN random JSON-shaped documents WHEN emitted THEN every one is exactly what yaml writes and parses back', () => {
    const { emit } = emitter();
    fc.assert(fc.property(documents, value => {
      const emitted = emit(value);
      expect(emitted).toBe(YAML.stringify(value, OPTIONS));
      expect(YAML.parse(emitted)).toEqual(asWritten(value));
    }), { numRuns: 3000, seed: 20261127 });
  });

  test('GIVEN a string over several lines WHEN emitted THEN the document goes to yaml whole, so block scalars are its own', () => {
    const { emit, wholeDocuments } = emitter();
    const document = { data: { 'script.sh': '#!/bin/sh\necho hi\n' } };
    expect(emit(document)).toBe(YAML.stringify(document, OPTIONS));
    expect(wholeDocuments()).toBe(1);
  });
});
