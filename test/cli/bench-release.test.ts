import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchReleaseCommand } from '../../cli/bench-release';
import { benchFleet } from '../../cli/benchmark/bench-fleet';
import { synthFleet } from '../../delivery/synth/synth-fleet';
import { DIGEST } from '../helpers';

describe('benchReleaseCommand', () => {
  test('GIVEN a synthesized generated fleet WHEN a release runs against it THEN it pins the image in that root, not in fleet.ts', () => {
    const { fleet, pins } = benchFleet(2, 2);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-release-'));
    for (const env of ['env-0', 'env-1']) {
      fs.mkdirSync(path.join(root, 'releases'), { recursive: true });
      fs.writeFileSync(path.join(root, pins.file(env)), pins.render(env));
    }
    synthFleet(fleet, root, { command: 'synth' });
    const image = `ghcr.io/acme/svc-0001@sha256:${DIGEST}`;
    const output = benchReleaseCommand(['--root', root, '--services', '2', '--envs', '2', '--', '--service', 'svc-0001', '--env', 'env-1', '--image', image]);
    expect(output).toContain(`pinned svc-0001 in env-1 to ${image}`);
    expect(fs.readFileSync(path.join(root, 'dist/env-1/svc-0001/rollout-svc-0001.yaml'), 'utf-8')).toContain(`image: ${image}`);
  });

  test.each([
    ['no root', ['--services', '2', '--envs', '2'], "'--root' is unset: is required"],
    ['a service count that is no number', ['--root', '/tmp', '--services', 'x', '--envs', '2'], "bench-release: '--services' is 'x': must be a positive integer"],
  ])('GIVEN %s WHEN run THEN one error line says what is wrong', (_, argv, message) => {
    expect(() => benchReleaseCommand(argv)).toThrow(message);
  });
});
