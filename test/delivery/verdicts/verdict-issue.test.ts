import { isVerdictIssue, parseVerdictIssue } from '../../../delivery/verdicts';
import { VERDICT_ISSUE_MARKER } from '../../../lib/rollout';

const IMAGE = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

describe('parseVerdictIssue', () => {
  test('GIVEN a rendered verdict body WHEN parsed THEN its runs carry their metrics and each metric its last value', () => {
    const body = [VERDICT_ISSUE_MARKER, 'environment: staging', 'service: api', 'verdict: aborted', `image: ${IMAGE} `,
      'analysis-run: api-2 Failed', 'metric: success-rate Failed |[0.97]|[0.81]', 'metric: latency Successful ', 'analysis-run: api-1 Successful', ''].join('\n');
    expect(isVerdictIssue(body)).toBe(true);
    expect(parseVerdictIssue(body)).toEqual({
      environment: 'staging', service: 'api', image: IMAGE, verdict: 'aborted',
      analysisRuns: [
        { name: 'api-2', phase: 'Failed', metrics: [{ name: 'success-rate', phase: 'Failed', value: '[0.81]' }, { name: 'latency', phase: 'Successful' }] },
        { name: 'api-1', phase: 'Successful' },
      ],
    });
  });

  test.each([
    ['no marker', 'release api please', `verdict request: 'body' is 'release api please': does not start with ${VERDICT_ISSUE_MARKER}`],
    ['no image', [VERDICT_ISSUE_MARKER, 'environment: staging', 'service: api', 'verdict: aborted'].join('\n'), "verdict request: 'image' is unset: is missing from the body"],
    ['an unknown verdict', [VERDICT_ISSUE_MARKER, 'environment: staging', 'service: api', 'verdict: great', `image: ${IMAGE}`].join('\n'), "verdict request: 'verdict' is 'great': is not a verdict"],
    ['a metric before any run', [VERDICT_ISSUE_MARKER, 'metric: m Failed |1'].join('\n'), "verdict request: 'metric' is 'metric: m Failed |1': must follow its analysis-run line"],
    ['a run without a phase', [VERDICT_ISSUE_MARKER, 'analysis-run: api-2'].join('\n'), "verdict request: 'analysis-run' is 'analysis-run: api-2': must be \"analysis-run: NAME PHASE\""],
  ])('GIVEN a body with %s WHEN parsed THEN it fails naming the line', (_, body, message) => {
    expect(() => parseVerdictIssue(body)).toThrow(message);
  });
});
