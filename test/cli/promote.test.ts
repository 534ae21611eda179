import * as fs from 'fs';
import * as path from 'path';
import { promoteCommand } from '../../cli/promote';
import { Cluster } from '../../lib/argocd';
import { Fleet } from '../../model';
import { fleet } from '../fixtures/fleet';
import { changedFiles, readTree, tempRepo } from '../helpers';

describe('promote', () => {
  test('GIVEN a staging pin WHEN promoted THEN production gets the same image and only its files change', () => {
    const root = tempRepo();
    const before = readTree(root);
    promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'production']);
    const staging = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8'));
    const production = JSON.parse(fs.readFileSync(path.join(root, 'releases/production.json'), 'utf-8'));
    expect(production.api).toBe(staging.api);
    expect(changedFiles(before, readTree(root))).toEqual(['dist/production/api/rollout-api.yaml', 'releases/production.json']);
  });

  test('GIVEN no pin in the source environment WHEN promoted THEN it fails and no file changes', () => {
    const root = tempRepo();
    const pins = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8'));
    delete pins.web;
    fs.writeFileSync(path.join(root, 'releases/staging.json'), JSON.stringify(pins));
    const before = readTree(root);
    expect(() => promoteCommand(fleet, root, ['--service', 'web', '--from', 'staging', '--to', 'production']))
      .toThrow("'--from' is 'staging': service 'web' has no pin there, so there is nothing to promote; release it there first");
    expect(readTree(root)).toEqual(before);
  });

  test('GIVEN the same environment twice WHEN promoted THEN it is refused', () => {
    expect(() => promoteCommand(fleet, tempRepo(), ['--service', 'api', '--from', 'staging', '--to', 'staging'])).toThrow("promote: '--to' is 'staging': must differ from '--from'; promote to the next environment");
  });

  describe('in promotion order', () => {
    /** The example fleet with qa between staging and production, and the pins of a repo with a qa pin file. */
    const threeStage = () => new Fleet({
      name: fleet.name, repoUrl: fleet.repoUrl, services: [...fleet.services],
      environments: [fleet.environments[0], { name: 'qa', cluster: Cluster.inCluster(), namespace: 'shop-qa' }, fleet.environments[1]],
    });
    const repoWithQa = () => {
      const root = tempRepo();
      fs.writeFileSync(path.join(root, 'releases/qa.json'), '{}\n');
      return root;
    };

    test('GIVEN production WHEN promoted back to staging THEN it is refused, and rollback is named', () => {
      const root = tempRepo();
      const before = readTree(root);
      expect(() => promoteCommand(fleet, root, ['--service', 'api', '--from', 'production', '--to', 'staging']))
        .toThrow("promote: '--to' is 'staging': comes before 'production' in the promotion order (staging → production); go back with npm run rollback -- --service api --env staging");
      expect(readTree(root)).toEqual(before);
    });

    test('GIVEN an environment in between WHEN promoted past it THEN it is refused without a reason', () => {
      expect(() => promoteCommand(threeStage(), repoWithQa(), ['--service', 'api', '--from', 'staging', '--to', 'production']))
        .toThrow("promote: '--to' is 'production': skips qa in the promotion order (staging → qa → production); promote to qa first, or give --skip-reason \"why\" to record in the commit");
    });

    test('GIVEN a reason WHEN promoted past an environment THEN it lands and the output carries the reason as commit trailers', () => {
      const output = promoteCommand(threeStage(), repoWithQa(), ['--service', 'api', '--from', 'staging', '--to', 'production', '--skip-reason', 'hotfix for INC-42']);
      expect(output).toContain('pinned api in production to ghcr.io/acme/api');
      expect(output.split('\n').slice(-2)).toEqual(['Skipped-Environments: qa', 'Skip-Reason: hotfix for INC-42']);
    });
  });
});
