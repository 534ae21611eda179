import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { addSynthNotes, summarizeNotes, synthNotes } from '../../../lib/output';

describe('synthNotes', () => {
  test('GIVEN constructs with notes WHEN collected THEN the notes come in tree order with their kind, computed when asked', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    let replicas = 2;
    addSynthNotes(new Construct(chart, 'A'), 'counts', () => [`a has ${replicas}`]);
    new Construct(chart, 'Quiet');
    addSynthNotes(new Construct(chart, 'B'), 'letters', () => ['b1', 'b2']);
    replicas = 3;
    expect(synthNotes(app)).toEqual([{ kind: 'counts', text: 'a has 3' }, { kind: 'letters', text: 'b1' }, { kind: 'letters', text: 'b2' }]);
  });

  test('GIVEN many notes of a kind WHEN summarized THEN each kind is one line, a lone note itself, many a count and an example', () => {
    const many = Array.from({ length: 750 }, (_, i) => ({ kind: 'replica-based Rollouts whose canary share differs from their weights', text: `svc-${i}: 33%` }));
    expect(summarizeNotes([{ kind: 'alone', text: 'just this' }, ...many])).toEqual([
      'just this',
      '750 replica-based Rollouts whose canary share differs from their weights (npm run plan lists each), e.g. svc-0: 33%',
    ]);
    expect(summarizeNotes([])).toEqual([]);
  });
});
