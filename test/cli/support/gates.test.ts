import { Gates, OVERRIDE_HINT } from '../../../cli/support/gates';

const problem = { at: 'promote', field: '--to', value: 'production', rule: 'skips qa', fix: `promote to qa first, ${OVERRIDE_HINT}` };

describe('Gates', () => {
  test('GIVEN no override WHEN a gate closes THEN the command fails with its problem', () => {
    expect(() => new Gates('promote', undefined).close(problem, 'Skipped-Environments: qa'))
      .toThrow("promote: '--to' is 'production': skips qa; promote to qa first, or give --override \"why\" to record in the commit");
  });

  test('GIVEN an override WHEN gates close THEN each is a trailer, then the reason; none when no gate closed', () => {
    const gates = new Gates('promote', ' INC-42 ');
    expect(gates.trailers()).toEqual([]);
    gates.close(problem, 'Skipped-Environments: qa');
    gates.close(problem, 'Unverified-Promotion: sha256:aa (no verdict in staging)');
    expect(gates.trailers()).toEqual(['Skipped-Environments: qa', 'Unverified-Promotion: sha256:aa (no verdict in staging)', 'Override-Reason: INC-42']);
  });

  test('GIVEN a blank override WHEN given THEN it is refused', () => {
    expect(() => new Gates('release', '')).toThrow("release: '--override' is '': must say why the gates are passed; give --override \"the reason\", which the commit records");
  });

  test('GIVEN a reason of two lines WHEN given THEN it is refused, since its second line would hide every trailer from the commit', () => {
    // GIVEN a reason whose second line is not a trailer (scripts/commit-and-push.sh reads only the output's last `Key: value` lines)
    // WHEN given to any command THEN it is refused before any gate is judged
    expect(() => new Gates('promote', 'INC-42\nsee the runbook'))
      .toThrow(new Error("promote: '--override' is 'INC-42\\nsee the runbook': must be one line, since the commit records it as a trailer; give the reason on one line"));
  });
});
