import * as fs from 'fs';
import * as path from 'path';
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IClusterAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/ClusterAnalysisTemplate';
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IService } from 'kubernetes-models/v1/Service';
import * as YAML from 'yaml';
import { Layout } from '../../model/layout';

/** A Kubernetes object as read from `dist/`; {@link asKind} narrows it to the JSON shape of its kind. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  readonly spec?: unknown;
}

/** The JSON shapes of the kinds the reports read, from the upstream schemas (@kubernetes-models). */
export interface KindShapes {
  readonly Rollout: IRollout;
  readonly AnalysisTemplate: IAnalysisTemplate;
  readonly ClusterAnalysisTemplate: IClusterAnalysisTemplate;
  readonly PodMonitor: IPodMonitor;
  readonly HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
  readonly Service: IService;
}

/** The objects of `kind` among `objects`, typed as that kind's JSON. */
export function asKind<K extends keyof KindShapes>(objects: readonly KubeObject[], kind: K): KindShapes[K][] {
  return objects.filter(o => o.kind === kind) as unknown as KindShapes[K][];
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
  for (const environment of subfolders(dist).filter(name => !Layout.reservedEnvironmentNames.includes(name))) {
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
