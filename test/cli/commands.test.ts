import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS } from '../../cli/commands';
import { ROOT } from '../helpers';

describe('COMMANDS', () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')) as { scripts: Record<string, string> }).scripts;

  test('GIVEN package.json WHEN its scripts are read beside the table THEN each command has its script through the one entry point, and synth runs main.ts', () => {
    for (const command of COMMANDS.filter(c => c.name !== 'synth')) {
      expect([command.name, scripts[command.name]]).toEqual([command.name, `node scripts/run-ts.cjs bin/infra.ts ${command.name}`]);
    }
    expect(scripts.synth).toBe('node scripts/run-ts.cjs main.ts');
  });

  test('GIVEN the table WHEN read THEN names are unique and every entry has a summary, a usage naming its script and an example calling it', () => {
    expect(new Set(COMMANDS.map(c => c.name)).size).toBe(COMMANDS.length);
    for (const command of COMMANDS) {
      expect(command.summary).toMatch(/^[a-z].*[^.]$/);
      expect(command.usage).toMatch(new RegExp(`^npm run ${command.name}( |$)`));
      expect(command.example).toContain(`npm run ${command.name}`);
    }
  });
});
