import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { addSynthNotes, synthNotes } from '../../../lib/synth';

describe('synthNotes', () => {
  test('GIVEN constructs with notes WHEN collected THEN the notes come in tree order, computed when asked', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    let replicas = 2;
    addSynthNotes(new Construct(chart, 'A'), () => [`a has ${replicas}`]);
    new Construct(chart, 'Quiet');
    addSynthNotes(new Construct(chart, 'B'), () => ['b1', 'b2']);
    replicas = 3;
    expect(synthNotes(app)).toEqual(['a has 3', 'b1', 'b2']);
  });
});
