import * as kplus from 'cdk8s-plus-28';

/**
 * A core spec typed by cdk8s-plus's `k8s` L1 (a PodSpec, a JobSpec) as the generated CRD type that
 * embeds the same schema. The fields and names are the same; one difference matters at run time:
 * the generated CRD filters unwrap int-or-string values but pass quantities (resource limits and
 * requests, emptyDir sizes) through as they are, so those are unwrapped here. The Rollout test checks
 * the result against cdk8s-plus's own rendering of the same PodSpec.
 */
export function toCrdSpec<T>(spec: object): T {
  return unwrapQuantities(spec) as T;
}

function unwrapQuantities(value: unknown): unknown {
  if (value instanceof kplus.k8s.Quantity) return value.value;
  if (Array.isArray(value)) return value.map(unwrapQuantities);
  if (value && typeof value === 'object' && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapQuantities(v)]));
  }
  return value;
}
