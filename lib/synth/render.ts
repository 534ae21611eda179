import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { OutputFolder } from './output-folder';
import { isRenderedFile } from './rendered-file';
import { ConfigError } from '../util/errors';

/**
 * Every problem found by the `node.addValidation` checks of the whole tree, in tree order, each
 * starting with the construct path (cdk8s-plus's own checks do not name it).
 */
export function validationProblems(app: App): string[] {
  return app.node.findAll().flatMap(construct => construct.node.validate()
    .map(problem => !construct.node.path || problem.startsWith(`${construct.node.path}:`) ? problem : `${construct.node.path}: ${problem}`));
}

/**
 * Renders the app to files: each ApiObject into the folder of its nearest {@link OutputFolder}, each
 * rendered file (a workflow, say) to its own path. Validation runs first, over the whole tree, so a
 * single synth reports every problem at once.
 *
 * @returns file contents by path relative to the repository root, sorted by path
 * @throws ConfigError listing every validation problem
 */
export function renderApp(app: App): Map<string, string> {
  const problems = validationProblems(app);
  if (problems.length > 0) {
    throw new ConfigError(`${problems.length} problem${problems.length > 1 ? 's' : ''} found:\n${problems.map(p => `  - ${p}`).join('\n')}`);
  }
  const files = new Map<string, string[]>();
  const add = (file: string, content: string, owner: string) => {
    const normalized = path.posix.normalize(file);
    if (normalized.startsWith('..') || path.posix.isAbsolute(normalized)) {
      throw new ConfigError(`${owner}: output path '${file}' leaves the repository; use a path relative to the repository root`);
    }
    files.set(normalized, [...(files.get(normalized) ?? []), content]);
  };
  for (const construct of app.node.findAll()) {
    if (ApiObject.isApiObject(construct)) {
      const folder = OutputFolder.of(construct);
      if (!folder) {
        throw new ConfigError(`${construct.node.path}: has no output folder; create it inside a chart marked with OutputFolder`);
      }
      const json = construct.toJson();
      const file = folder.fileName ?? `${json.kind}-${json.metadata.name}.yaml`.toLowerCase();
      add(path.posix.join(folder.path, file), YAML.stringify(json, { lineWidth: 0, aliasDuplicateObjects: false }), construct.node.path);
    } else if (isRenderedFile(construct)) {
      add(construct.outputPath, construct.render(), construct.node.path);
    }
  }
  const rendered = new Map<string, string>();
  for (const file of [...files.keys()].sort()) {
    const parts = files.get(file)!;
    if (parts.length > 1 && !file.endsWith('.yaml')) {
      throw new ConfigError(`${file}: ${parts.length} constructs write this file; give each its own output path`);
    }
    rendered.set(file, parts.join('---\n'));
  }
  return rendered;
}
