import { planRollout, RolloutPlan } from '../../../delivery/plan';
import { Threshold } from '../../../lib/analysis';

/** A replica-based plan with one analysis and a manual pause: 2 replicas, setWeight 10 = 33%. */
export function samplePlan(): RolloutPlan {
  return planRollout({
    environment: 'staging',
    service: 'api',
    objects: [
      {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api' },
        spec: { replicas: 2, progressDeadlineAbort: true, strategy: { canary: { steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'rate' }] } }, { pause: {} }] } } },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'rate' },
        spec: { metrics: [{ name: 'success-rate', interval: '1m', count: 3, successCondition: Threshold.atLeast(0.99).successCondition(), provider: { prometheus: { query: 'rate(x[1m])' } } }] },
      },
    ],
  })!;
}
