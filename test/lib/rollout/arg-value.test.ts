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

  test('GIVEN a field outside metadata WHEN checked THEN the problem names it and the fields that work', () => {
    expect(ArgValue.fieldRef('status.phase').problem()).toEqual({
      value: 'status.phase',
      rule: 'is not a metadata field the controller can resolve',
      fix: "use metadata.name, metadata.namespace, metadata.uid, metadata.labels['KEY'] or metadata.annotations['KEY']",
    });
  });
});
