import * as kplus from 'cdk8s-plus-28';
import { toCrdSpec } from '../../../lib/private/crd-spec';

describe('toCrdSpec', () => {
  test('GIVEN a spec with quantities and int-or-string values WHEN converted THEN quantities are unwrapped and the rest kept for the CRD filter', () => {
    const port = kplus.k8s.IntOrString.fromNumber(8080);
    const spec = { containers: [{ name: 'c', resources: { limits: { memory: kplus.k8s.Quantity.fromString('64Mi') } }, readinessProbe: { tcpSocket: { port } } }] };
    expect(toCrdSpec(spec)).toEqual({ containers: [{ name: 'c', resources: { limits: { memory: '64Mi' } }, readinessProbe: { tcpSocket: { port } } }] });
  });
});
