import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { jsonPatch, writeKustomizeTree } from '../../../cli/benchmark/kustomize-tree';
import { compareObjects } from '../../../cli/benchmark/run-bench';
import { KubeObject } from '../../../delivery/plan';

const object = (kind: string, name: string, namespace: string, spec: object): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace, annotations: { 'a/b': '1' } }, spec });

describe('jsonPatch', () => {
  test('GIVEN two objects WHEN diffed THEN keys are added, removed or replaced, arrays replaced whole, and / and ~ escaped', () => {
    expect(jsonPatch({ a: 1, b: { 'c': [1, 2], 'x/y': 1, 'm~n': 1 } }, { a: 2, b: { 'c': [1, 3], 'x/y': 2, 'd': true } })).toEqual([
      { op: 'replace', path: '/a', value: 2 },
      { op: 'replace', path: '/b/c', value: [1, 3] },
      { op: 'replace', path: '/b/x~1y', value: 2 },
      { op: 'remove', path: '/b/m~0n' },
      { op: 'add', path: '/b/d', value: true },
    ]);
    expect(jsonPatch({ a: [1] }, { a: [1] })).toEqual([]);
  });
});

describe('writeKustomizeTree', () => {
  test('GIVEN a service that differs per environment WHEN kubectl kustomize renders the tree THEN it yields exactly the same objects', () => {
    const staging = [object('Service', 'api', 'shop-staging', { ports: [{ port: 80 }] }), object('ConfigMap', 'api', 'shop-staging', { replicas: 2 })];
    const production = [object('Service', 'api', 'shop', { ports: [{ port: 8080 }] }), object('Secret', 'only-here', 'shop', {})];
    const extra = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } }];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-'));
    const roots = writeKustomizeTree(root, [{ service: 'api', environments: new Map([['staging', { namespace: 'shop-staging', objects: staging }], ['production', { namespace: 'shop', objects: production }]]) }], extra);
    expect(roots.map(r => path.relative(root, r))).toEqual(['environments/staging', 'environments/production', 'extra']);
    const rendered = roots.flatMap(r => YAML.parseAllDocuments(execFileSync('kubectl', ['kustomize', r], { encoding: 'utf-8' })).map(d => d.toJS() as KubeObject));
    expect(compareObjects([...staging, ...production, ...extra], rendered)).toEqual([]);
  });
});

describe('compareObjects', () => {
  test('GIVEN renderings that differ WHEN compared THEN each difference is named by kind, namespace and name', () => {
    const a = object('Service', 'api', 'shop', { x: 1 });
    expect(compareObjects([a, object('Service', 'web', 'shop', {})], [{ ...a, spec: { x: 2 } }, object('Service', 'db', 'shop', {})])).toEqual([
      'v1 Service shop/api: renders differently',
      'v1 Service shop/web: missing from kustomize',
      'v1 Service shop/db: only in kustomize',
    ]);
  });
});
