import { WORKFLOW_BRANCH, WorkflowDelivery } from '../../model';

describe('WorkflowDelivery', () => {
  test('GIVEN the deliveries WHEN named THEN a pull request goes through its own branch and a direct one does not', () => {
    expect([WorkflowDelivery.PULL_REQUEST.name, WorkflowDelivery.DIRECT.name]).toEqual(['pull-request', 'direct']);
    expect(WORKFLOW_BRANCH).toBe('infra/workflows');
  });
});
