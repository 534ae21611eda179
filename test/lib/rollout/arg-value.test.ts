import { ArgValue } from '../../../lib/rollout';

describe('ArgValue', () => {
  test('GIVEN each source WHEN rendered THEN it is the arg entry Argo Rollouts takes', () => {
    expect(ArgValue.of('x')._toArg('a')).toEqual({ name: 'a', value: 'x' });
    expect(ArgValue.canaryPodTemplateHash()._toArg('a')).toEqual({ name: 'a', valueFrom: { podTemplateHashValue: 'Latest' } });
    expect(ArgValue.stablePodTemplateHash()._toArg('a')).toEqual({ name: 'a', valueFrom: { podTemplateHashValue: 'Stable' } });
    expect(ArgValue.fieldRef("metadata.labels['team']")._toArg('a')).toEqual({ name: 'a', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } });
  });

  test.each(['metadata.name', 'metadata.namespace', 'metadata.uid', "metadata.annotations['owner']"])('GIVEN fieldRef %s WHEN checked THEN it resolves', path => {
    expect(ArgValue.fieldRef(path).problem()).toBeUndefined();
  });

  test.each([
    // argo-rollouts v1.9.1 docs/features/analysis.md: "fieldPath: status.alb.canaryTargetGroup.name" and
    // "fieldPath: spec.template.metadata.labels.version"; the controller walks any non-metadata path on the
    // Rollout's JSON, split on '.', '[' and ']' (utils/analysis/factory.go, extractValueFromRollout).
    'status.alb.canaryTargetGroup.name', 'spec.template.metadata.labels.version', 'spec.template.spec.containers[0].image', 'status.phase',
  ])('GIVEN the upstream-documented path %s WHEN checked THEN it is accepted', path => {
    expect(ArgValue.fieldRef(path).problem()).toBeUndefined();
  });

  test.each(['metadata.generation', 'spec', 'kind', 'spec..replicas'])('GIVEN %s, which the controller cannot resolve to a value WHEN checked THEN the problem names it and the fields that work', path => {
    expect(ArgValue.fieldRef(path).problem()).toEqual({
      value: path,
      rule: 'is not a field path the controller can resolve',
      fix: "use metadata.name, metadata.namespace, metadata.uid, metadata.labels['KEY'], metadata.annotations['KEY'], or a spec.* or status.* path such as spec.template.metadata.labels.version",
    });
  });
});
