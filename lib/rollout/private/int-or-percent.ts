import * as kplus from 'cdk8s-plus-28';

/** kplus holds a number or an `N%` string; Kubernetes rejects a bare number written as a string. */
export function intOrPercent<T>(value: kplus.PercentOrAbsolute, type: { fromNumber(n: number): T; fromString(s: string): T }): T {
  return typeof value.value === 'number' ? type.fromNumber(value.value) : type.fromString(String(value.value));
}
