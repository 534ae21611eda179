import { PrometheusAuth } from '../../../lib/analysis';

describe('PrometheusAuth', () => {
  test('GIVEN oauth2 WHEN rendered THEN the client secret is an arg reference, never a value', () => {
    const auth = PrometheusAuth.oauth2({ tokenUrl: 'https://idp/token', clientId: 'argo', clientSecretArg: 'client-secret', scopes: ['read'] });
    expect(auth._toJson()).toEqual({ oauth2: { tokenUrl: 'https://idp/token', clientId: 'argo', clientSecret: '{{args.client-secret}}', scopes: ['read'] } });
    expect(auth.secretArgs).toEqual(['client-secret']);
  });

  test('GIVEN sigv4 WHEN rendered THEN it needs no secret arg', () => {
    const auth = PrometheusAuth.sigv4({ region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/argo' });
    expect(auth._toJson()).toEqual({ sigv4: { region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/argo' } });
    expect(auth.secretArgs).toEqual([]);
  });
});
