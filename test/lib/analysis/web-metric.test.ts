import { Chart, Duration, Testing } from 'cdk8s';
import { AnalysisArg, AnalysisTemplate, ConditionExpression, WebCondition, WebMethod, WebMetric, WebMetricProps } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';

const scope = new Chart(Testing.app(), 'test');
const web = (props: Partial<WebMetricProps> = {}) =>
  new WebMetric({ name: 'webmetric', url: 'http://my-server.com/api/v1/measurement?service={{args.service-name}}', condition: WebCondition.equals(true), ...props });
const TOKEN: AnalysisArg = { name: 'api-token', secretKeyRef: { name: 'token-secret', key: 'apiToken' } };

describe('WebMetric', () => {
  test('GIVEN the args example of the upstream analysis docs, its URL from an arg WHEN synthesized THEN it matches the upstream snippet field by field', () => {
    // argo-rollouts v1.9.1 docs/features/analysis.md, "Analysis Template Arguments":
    //   - name: api-url
    //     value: http://example/measure
    //   # from secret
    //   - name: api-token
    //     valueFrom:
    //       secretKeyRef:
    //         name: token-secret
    //         key: apiToken
    //   metrics:
    //   - name: webmetric
    //     successCondition: result == 'true'
    //     provider:
    //       web:
    //         # placeholders are resolved when an AnalysisRun is created
    //         url: "{{ args.api-url }}?service={{ args.service-name }}"
    //         headers:
    //           - key: Authorization
    //             value: "Bearer {{ args.api-token }}"
    //         jsonPath: "{$.results.ok}"
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new AnalysisTemplate(chart, 'T', {
      metadata: { name: 'args-example' },
      args: [{ name: 'service-name' }, { name: 'api-url', value: 'http://example/measure' }, TOKEN],
      metrics: [new WebMetric({
        name: 'webmetric', count: 1,
        url: '{{ args.api-url }}?service={{ args.service-name }}',
        headers: { Authorization: 'Bearer {{ args.api-token }}' },
        jsonPath: '{$.results.ok}',
        condition: ConditionExpression.of({ success: "result == 'true'", reason: 'the upstream template compares the string' }),
      })],
    });
    expect(validationProblems(app)).toEqual([]);
    const [json] = Testing.synth(chart);
    expect(json.spec.args).toEqual([
      { name: 'service-name' }, { name: 'api-url', value: 'http://example/measure' },
      { name: 'api-token', valueFrom: { secretKeyRef: { name: 'token-secret', key: 'apiToken' } } },
    ]);
    // count 1 is written where upstream omits it: without an interval, omission means one measurement
    // (analysis/analysis.go); the interval, consecutiveErrorLimit and timeout are the defaults written out.
    expect(json.spec.metrics).toEqual([{
      name: 'webmetric', interval: '1m', count: 1, failureLimit: 0, consecutiveErrorLimit: 4, successCondition: "result == 'true'",
      provider: { web: { url: '{{ args.api-url }}?service={{ args.service-name }}', headers: [{ key: 'Authorization', value: 'Bearer {{ args.api-token }}' }], jsonPath: '{$.results.ok}', timeoutSeconds: 10 } },
    }]);
  });

  test('GIVEN the documented GET example WHEN synthesized THEN it matches the fields of the Argo Rollouts docs', () => {
    // Fields from the Argo Rollouts "Web Metrics" page: url with an arg, timeoutSeconds, jsonPath, successCondition `result == true`.
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new AnalysisTemplate(chart, 'T', {
      metadata: { name: 'web' },
      args: [{ name: 'service-name' }],
      metrics: [web({ jsonPath: '{$.data.ok}', timeout: Duration.seconds(20), count: 1 })],
    });
    expect(validationProblems(app)).toEqual([]);
    const [json] = Testing.synth(chart);
    expect(json.spec.metrics).toEqual([{
      name: 'webmetric', interval: '1m', count: 1, failureLimit: 0, consecutiveErrorLimit: 4,
      successCondition: 'result == true',
      provider: { web: { url: 'http://my-server.com/api/v1/measurement?service={{args.service-name}}', timeoutSeconds: 20, jsonPath: '{$.data.ok}' } },
    }]);
  });

  test('GIVEN the documented POST example WHEN rendered THEN method, secret-backed header and JSON body are emitted', () => {
    const m = web({
      method: WebMethod.POST,
      headers: { 'Authorization': 'Bearer {{args.api-token}}', 'Content-Type': 'application/json' },
      jsonBody: { key1: 'value_1', key2: { nestedObj: 'nested_value', key1: 'value_1' } },
      condition: WebCondition.atLeast(0.9),
      jsonPath: '{$.results.ok}',
    });
    expect(m.problems(scope, [{ name: 'service-name' }, TOKEN])).toEqual([]);
    expect(m.referencedArgs).toEqual(['service-name', 'api-token']);
    expect(m._toMetric()).toMatchObject({
      successCondition: 'asFloat(result) >= 0.9',
      provider: { web: {
        method: 'POST',
        headers: [{ key: 'Authorization', value: 'Bearer {{args.api-token}}' }, { key: 'Content-Type', value: 'application/json' }],
        jsonBody: { key1: 'value_1', key2: { nestedObj: 'nested_value', key1: 'value_1' } },
        timeoutSeconds: 10,
      } },
    });
  });

  test.each<[string, Partial<WebMetricProps>, string[]]>([
    ['a url that is not http', { url: 'ftp://x/{{args.service-name}}' },
      ["test: 'metrics[webmetric].url' is 'ftp://x/{{args.service-name}}': is not an http or https url; give the full url, e.g. https://smoke.shop.svc/check"]],
    ['credentials in the url', { url: 'https://user:pw@x/{{args.service-name}}' },
      ["test: 'metrics[webmetric].url' is 'https://user:pw@x/{{args.service-name}}': carries a credential, which must not be written into dist/; send it in a header whose value is a secret-backed arg"]],
    ['a json path without braces, which is literal text', { jsonPath: '$.data.ok' },
      ["test: 'metrics[webmetric].jsonPath' is '$.data.ok': is not a jsonpath template: outside braces it is literal text, not a lookup; wrap it in braces, e.g. '{$.data.ok}'"]],
    ['a body with GET', { body: 'ping' },
      ["test: 'metrics[webmetric].method' is 'GET': cannot send a body; the provider allows one only with post or put; set method: WebMethod.POST or WebMethod.PUT"]],
    ['both bodies', { method: WebMethod.PUT, body: 'a', jsonBody: { a: 1 } },
      ["test: 'metrics[webmetric].body' is 'a': is set beside jsonBody, and the provider refuses both; keep one of body and jsonBody"]],
    ['a literal credential header', { headers: { 'X-Api-Key': 'abc123' } },
      ["test: 'metrics[webmetric].headers.X-Api-Key' is 'abc123': carries a credential, which must not be written into dist/; declare an arg with secretKeyRef and use '{{args.NAME}}' as the value"]],
    ['a sub-second timeout', { timeout: Duration.millis(500) },
      ["test: 'metrics[webmetric].timeout' is '0.5s': must be a whole number of seconds of at least 1; set timeout with Duration.seconds(n) or Duration.minutes(n)"]],
    ['a non-finite bound', { condition: WebCondition.below(NaN) },
      ["test: 'metrics[webmetric].condition' is NaN: must be a finite number; compare with a finite bound"]],
    ['an undeclared arg', { url: 'https://x/{{args.svc}}' },
      ["test: 'metrics[webmetric].url' is '{{args.svc}}': refers to an arg the template does not declare; declare 'svc' in the template's args or fix the name"]],
  ])('GIVEN %s WHEN checked THEN the problem names the metric, field, value and fix', (_, props, messages) => {
    expect(web(props).problems(scope, [{ name: 'service-name' }])).toEqual(messages);
  });
});
