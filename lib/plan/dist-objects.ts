import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** A Kubernetes object as read from `dist/`. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  readonly spec?: any;
}

/** The objects of one Application folder, `dist/<env>/<service>/`. */
export interface ServiceObjects {
  readonly environment: string;
  readonly service: string;
  readonly objects: KubeObject[];
}

/**
 * Reads every Application folder of a synthesized `dist/` (`<env>/<service>/*.yaml`), skipping the
 * Argo CD and CI folders, which hold no workloads.
 */
export function readServiceFolders(dist: string): ServiceObjects[] {
  const folders: ServiceObjects[] = [];
  for (const environment of subfolders(dist).filter(name => name !== 'argocd' && name !== 'ci')) {
    for (const service of subfolders(path.join(dist, environment))) {
      const folder = path.join(dist, environment, service);
      const objects = fs.readdirSync(folder).filter(f => /\.ya?ml$/.test(f)).sort()
        .flatMap(file => YAML.parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf-8')).map(d => d.toJS() as KubeObject))
        .filter(Boolean);
      folders.push({ environment, service, objects });
    }
  }
  return folders;
}

function subfolders(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name).sort();
}
