// Checks every Kubernetes document under the given folders against the real API schemas, with the
// validators the @kubernetes-models packages generate from the upstream OpenAPI specs and CRDs.
// Usage: node scripts/validate-manifests.mjs [FOLDER...]   (default: dist; dist/ci holds workflows)
// The packages are ESM-only, which is why this is a plain Node script that jest runs as a process.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Application, AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { AnalysisTemplate, ClusterAnalysisTemplate, Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import { DestinationRule, VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1';
import { PodMonitor, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';

const MODELS = new Map(
  [Application, AppProject, AnalysisTemplate, ClusterAnalysisTemplate, Rollout, HTTPRoute, DestinationRule,
    VirtualService, PodMonitor, ServiceMonitor, HorizontalPodAutoscaler, Ingress, NetworkPolicy,
    PodDisruptionBudget, ConfigMap, Namespace, Service, ServiceAccount]
    .map(model => [`${model.apiVersion}/${model.kind}`, model]),
);

/** Every problem in the YAML files below `folder`, as `file: message` lines. */
function problemsIn(folder) {
  const problems = [];
  let documents = 0;
  for (const file of yamlFiles(folder)) {
    for (const document of parseAllDocuments(readFileSync(file, 'utf-8'))) {
      const where = `${relative(process.cwd(), file)}`;
      if (document.errors.length) {
        problems.push(`${where}: is not valid yaml: ${document.errors[0].message}`);
        continue;
      }
      const object = document.toJS();
      if (object === null) continue;
      documents += 1;
      const key = `${object.apiVersion}/${object.kind}`;
      const Model = MODELS.get(key);
      if (!Model) {
        problems.push(`${where}: ${key} has no schema here; add its @kubernetes-models class to scripts/validate-manifests.mjs`);
        continue;
      }
      try {
        new Model(object).validate();
      } catch (error) {
        const details = (error.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`).join('; ');
        problems.push(`${where}: ${key} '${object.metadata?.name}' is invalid: ${details || error.message}`);
      }
    }
  }
  return { problems, documents };
}

function yamlFiles(folder) {
  if (statSync(folder).isFile()) return [folder];
  return readdirSync(folder, { withFileTypes: true }).flatMap(entry => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'ci' && folder.endsWith('dist') ? [] : yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

const folders = process.argv.slice(2);
if (folders.some(f => f === '--help' || f === '-h')) {
  console.log('usage: npm run validate:manifests [-- FOLDER...]\n\nchecks every Kubernetes document under the folders (default: dist) against the real API schemas; changes nothing\n\nexample:\n  npm run validate:manifests -- dist');
  process.exit(0);
}
let failed = false;
let total = 0;
for (const folder of folders.length ? folders : ['dist']) {
  const { problems, documents } = problemsIn(folder);
  total += documents;
  for (const problem of problems) console.error(problem);
  failed ||= problems.length > 0;
}
if (total === 0) {
  console.error('no Kubernetes documents found; pass the folder to check, e.g. dist');
  failed = true;
}
console.log(`${failed ? 'invalid' : 'valid'}: checked ${total} documents against the Kubernetes and CRD schemas`);
process.exit(failed ? 1 : 0);
