import * as path from 'path';
import * as YAML from 'yaml';
import { buildFleetApp } from '../../../charts/fleet-app';
import { benchFleet } from '../../../cli/benchmark/bench-fleet';
import { DefaultsSchema, fileContent, missingServerDefaults, pinnedDefaultsOf, renderApp, withServerDefaults } from '../../../delivery/render';
import { readTree, tempRepo } from '../../helpers';

/** An HTTPRoute as the constructs wrote it before its output carried the server's defaults. */
const bareRoute = () => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web' },
  spec: {
    parentRefs: [{ name: 'public', namespace: 'gateway-system' }],
    rules: [{ backendRefs: [{ kind: 'Service', name: 'web-stable', port: 80, weight: 100 }] }],
  },
});

/** Kinds whose defaults Argo CD patches into both sides of its diff (gitops-engine normalizeTypedValue). */
const BUILT_IN_GROUPS = new Set(['v1', 'policy/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'apps/v1']);

/**
 * Every field the API server would add inside a list item of the given documents, as
 * `<file>: <kind> '<name>' lacks <pointer> (the server sets <value>)`, and every custom resource
 * whose kind has no pinned schema.
 */
function storedFormProblems(files: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    for (const document of YAML.parseAllDocuments(text).map(d => d.toJS())) {
      const { apiVersion, kind, metadata } = document ?? {};
      if (typeof apiVersion !== 'string' || BUILT_IN_GROUPS.has(apiVersion)) continue;
      const schema = pinnedDefaultsOf(apiVersion, kind);
      if (!schema) {
        problems.push(`${file}: ${apiVersion}/${kind} has no pinned crd; add it to cdk8s.yaml and run npm run import`);
        continue;
      }
      for (const missing of missingServerDefaults(document, schema)) {
        problems.push(`${file}: ${kind} '${metadata?.name}' lacks ${missing.pointer} (the server sets ${JSON.stringify(missing.value)})`);
      }
    }
  }
  return problems;
}

describe('missingServerDefaults', () => {
  test('GIVEN an HTTPRoute without the defaulted fields WHEN checked THEN every field the server adds inside a list item is named', () => {
    const route = bareRoute();
    const missing = missingServerDefaults(route, pinnedDefaultsOf('gateway.networking.k8s.io/v1', 'HTTPRoute')!);
    expect(missing).toEqual([
      { pointer: '/spec/parentRefs/0/group', value: 'gateway.networking.k8s.io' },
      { pointer: '/spec/parentRefs/0/kind', value: 'Gateway' },
      { pointer: '/spec/rules/0/backendRefs/0/group', value: '' },
      { pointer: '/spec/rules/0/matches', value: [{ path: { type: 'PathPrefix', value: '/' } }] },
    ]);
    // The document itself is left as it was.
    expect(route).toEqual(bareRoute());
  });

  test('GIVEN defaults outside list items WHEN checked THEN they are not reported: Argo CD keeps live map fields Git does not set', () => {
    const schema: DefaultsSchema = { properties: { spec: { properties: { replicas: { default: 1 }, rules: { default: [] } } } } };
    expect(missingServerDefaults({ spec: {} }, schema)).toEqual([]);
  });

  test('GIVEN a default whose value has defaults of its own WHEN checked THEN the server\'s second pass is followed, as in algorithm.go', () => {
    const schema: DefaultsSchema = {
      properties: { list: { items: { properties: { 'a/b': { default: {}, properties: { c: { default: 1 } } } } } } },
    };
    expect(missingServerDefaults({ list: [{}] }, schema)).toEqual([
      { pointer: '/list/0/a~1b', value: {} },
      { pointer: '/list/0/a~1b/c', value: 1 },
    ]);
  });

  test('GIVEN a map of lists WHEN checked THEN additionalProperties are followed into each value', () => {
    const schema: DefaultsSchema = { properties: { headers: { additionalProperties: { items: { properties: { name: { default: '' } } } } } } };
    expect(missingServerDefaults({ headers: { a: [{}], b: [{ name: 'x' }] } }, schema)).toEqual([{ pointer: '/headers/a/0/name', value: '' }]);
  });
});

describe('withServerDefaults', () => {
  test('GIVEN an HTTPRoute WHEN written as stored THEN the defaults are in it, keys sorted, set values untouched', () => {
    const route = bareRoute();
    route.spec.parentRefs[0] = { ...route.spec.parentRefs[0], group: 'example.com' } as typeof route.spec.parentRefs[0];
    const stored = withServerDefaults(route);
    expect(stored.spec.parentRefs[0]).toEqual({ group: 'example.com', kind: 'Gateway', name: 'public', namespace: 'gateway-system' });
    expect(Object.keys(stored.spec.parentRefs[0])).toEqual(['group', 'kind', 'name', 'namespace']);
    expect(Object.keys(stored.spec.rules[0].backendRefs[0])).toEqual(['group', 'kind', 'name', 'port', 'weight']);
    expect(missingServerDefaults(stored, pinnedDefaultsOf('gateway.networking.k8s.io/v1', 'HTTPRoute')!)).toEqual([]);
  });

  test('GIVEN a kind without pinned defaults WHEN written THEN it is unchanged', () => {
    const service = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } };
    expect(withServerDefaults(structuredClone(service))).toEqual(service);
  });
});

describe('synthesized output as the API server stores it', () => {
  test('GIVEN the synthesized dist/ of the fixture WHEN the pinned CRDs\' defaults are applied THEN the server would add nothing inside a list item', () => {
    const files = new Map([...readTree(path.join(tempRepo(), 'dist'))].filter(([file]) => !file.startsWith('ci/')));
    expect(storedFormProblems(files)).toEqual([]);
    // The check saw the kinds that have such defaults.
    const texts = [...files.values()].join('\n');
    expect(texts).toContain('kind: HTTPRoute');
    expect(texts).toContain('kind: Rollout');
  });

  test('GIVEN the bench fleet, every router WHEN rendered THEN the server would add nothing inside a list item', () => {
    const { fleet, pins } = benchFleet(4, 2);
    const files = new Map([...renderApp(buildFleetApp(fleet, pins).app)]
      .filter(([file]) => file.startsWith('dist/') && !file.startsWith('dist/ci/'))
      .map(([file, content]) => [file, fileContent(content)]));
    expect(storedFormProblems(files)).toEqual([]);
    const kinds = new Set([...files.values()].flatMap(text => [...text.matchAll(/^kind: (\w+)$/gm)].map(m => m[1])));
    expect([...kinds]).toEqual(expect.arrayContaining(['AnalysisTemplate', 'HTTPRoute', 'Ingress', 'PodMonitor', 'Rollout', 'VirtualService']));
  });

  test('GIVEN a document missing a default WHEN checked THEN the problem names the file, the object and the field path', () => {
    const files = new Map([['dist/staging/web/httproute-web.yaml', YAML.stringify(bareRoute())]]);
    expect(storedFormProblems(files)).toContain("dist/staging/web/httproute-web.yaml: HTTPRoute 'web' lacks /spec/parentRefs/0/kind (the server sets \"Gateway\")");
  });

  test('GIVEN the pinned defaults WHEN read THEN every custom kind the library emits has an entry', () => {
    for (const [apiVersion, kind] of [
      ['argoproj.io/v1alpha1', 'Rollout'], ['argoproj.io/v1alpha1', 'AnalysisTemplate'], ['argoproj.io/v1alpha1', 'ClusterAnalysisTemplate'],
      ['argoproj.io/v1alpha1', 'Application'], ['argoproj.io/v1alpha1', 'AppProject'], ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
      ['networking.istio.io/v1', 'VirtualService'], ['networking.istio.io/v1', 'DestinationRule'],
      ['monitoring.coreos.com/v1', 'ServiceMonitor'], ['monitoring.coreos.com/v1', 'PodMonitor'],
    ]) {
      expect([apiVersion, kind, pinnedDefaultsOf(apiVersion, kind)]).toEqual([apiVersion, kind, expect.any(Object)]);
    }
  });
});
