import * as fs from 'fs';
import * as path from 'path';
import { KubeObject } from '../../delivery/plan';
import { toYaml } from '../../delivery/render';

/** One JSON 6902 patch operation. */
export interface PatchOperation {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: unknown;
}

/**
 * The JSON 6902 operations that turn `from` into `to`: objects are compared key by key, and an array
 * or a value that differs is replaced whole.
 */
export function jsonPatch(from: unknown, to: unknown, pointer = ''): PatchOperation[] {
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
    return keys.flatMap(key => {
      const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!(key in to)) return [{ op: 'remove' as const, path: child }];
      if (!(key in from)) return [{ op: 'add' as const, path: child, value: to[key] }];
      return jsonPatch(from[key], to[key], child);
    });
  }
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ op: 'replace', path: pointer, value: to }];
}

/** The documents of one service in every environment, by environment name. */
export interface ServiceRenderings {
  readonly service: string;
  readonly environments: ReadonlyMap<string, { readonly namespace: string; readonly objects: readonly KubeObject[] }>;
}

/**
 * Writes a kustomize tree that renders the same documents: a base per service (its objects in the
 * first environment, without namespace) and an overlay per environment that sets the namespace and
 * patches every field that differs. Each environment gets a root that lists its overlays, as an
 * app-of-apps would; `extra` objects (e.g. the Argo CD Applications) get a root of their own.
 *
 * @returns the root folders, each rendered by one `kubectl kustomize`
 */
export function writeKustomizeTree(root: string, services: readonly ServiceRenderings[], extra: readonly KubeObject[]): string[] {
  const write = (file: string, content: unknown) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), typeof content === 'string' ? content : toYaml(content));
  };
  const overlays = new Map<string, string[]>();
  for (const { service, environments } of services) {
    const [first] = [...environments.values()];
    const base = first.objects.map(withoutNamespace);
    write(`base/${service}/objects.yaml`, base.map(o => toYaml(o)).join('---\n'));
    write(`base/${service}/kustomization.yaml`, { resources: ['objects.yaml'] });
    for (const [env, { namespace, objects }] of environments) {
      const folder = `overlays/${env}/${service}`;
      const inBase = (o: KubeObject) => base.find(b => b.kind === o.kind && b.metadata.name === o.metadata.name);
      const target = (o: KubeObject) => {
        const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
        return { group, version, kind: o.kind, name: o.metadata.name };
      };
      const patches = [
        ...objects.filter(inBase).map(object => {
          const from = inBase(object)!;
          const ops = jsonPatch({ ...from, metadata: { ...from.metadata, namespace } }, object);
          return ops.length ? { target: target(object), patch: JSON.stringify(ops) } : undefined;
        }),
        // What only the base has is deleted; what only this environment has is added as a resource.
        ...base.filter(b => !objects.some(o => o.kind === b.kind && o.metadata.name === b.metadata.name))
          .map(b => ({ patch: toYaml({ $patch: 'delete', apiVersion: b.apiVersion, kind: b.kind, metadata: { name: b.metadata.name } }) })),
      ].filter(Boolean);
      const own = objects.filter(o => !inBase(o));
      if (own.length) write(`${folder}/objects.yaml`, own.map(o => toYaml(o)).join('---\n'));
      write(`${folder}/kustomization.yaml`, {
        resources: [`../../../base/${service}`, ...own.length ? ['objects.yaml'] : []],
        namespace,
        patches: patches.length ? patches : undefined,
      });
      overlays.set(env, [...overlays.get(env) ?? [], `../../${folder}`]);
    }
  }
  write('extra/objects.yaml', extra.map(o => toYaml(o)).join('---\n'));
  write('extra/kustomization.yaml', { resources: ['objects.yaml'] });
  for (const [env, folders] of overlays) write(`environments/${env}/kustomization.yaml`, { resources: folders });
  return [...[...overlays.keys()].map(env => path.join(root, 'environments', env)), path.join(root, 'extra')];
}

function withoutNamespace(object: KubeObject): KubeObject {
  const metadata = { ...object.metadata };
  delete metadata.namespace;
  return { ...object, metadata };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
