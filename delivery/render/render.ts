import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { ConfigError, fail } from '../../lib/errors/problem';
import { validationProblems } from '../../lib/errors/validation';
import { OutputFile, Serializable } from '../../lib/output/output-file';
import { OutputFolder } from '../../lib/output/output-folder';
import { isRenderedFile } from '../../lib/output/rendered-file';
import { withServerDefaults } from './server-defaults';

/**
 * Renders the app to files: each ApiObject into the folder of its nearest {@link OutputFolder}, each
 * rendered file (a workflow, say) to its own path. Validation runs first, over the whole tree, so a
 * single synth reports every problem at once. Nothing is resolved or serialized here: `writeFiles`
 * does both, spread over two threads for a large output. Each object is written as the API server will
 * store it ({@link withServerDefaults}), so that Argo CD finds no difference after a sync.
 *
 * @returns the files by path relative to the repository root, sorted by path
 * @throws ConfigError listing every validation problem
 */
export function renderApp(app: App): Map<string, OutputFile> {
  const problems = validationProblems(app);
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  const documents = new Map<string, ApiObject[]>();
  const texts = new Map<string, () => string>();
  /** Only Kubernetes documents may share a file, and only a YAML one. */
  const claim = (file: string, owner: string, rendered: boolean): string => {
    const normalized = path.posix.normalize(file);
    if (normalized.startsWith('..') || path.posix.isAbsolute(normalized)) {
      fail({ at: owner, field: 'outputPath', value: file, rule: 'leaves the repository', fix: 'use a path relative to the repository root' });
    }
    if (texts.has(normalized) || (documents.has(normalized) && (rendered || !normalized.endsWith('.yaml')))) {
      fail({ at: owner, field: 'outputPath', value: normalized, rule: 'another construct writes this file too', fix: 'give each its own output path' });
    }
    return normalized;
  };
  for (const construct of app.node.findAll()) {
    if (ApiObject.isApiObject(construct)) {
      const folder = OutputFolder.of(construct);
      if (!folder) {
        fail({ at: construct.node.path, field: 'scope', value: construct.node.scope?.node.path ?? '', rule: 'has no output folder above it', fix: 'create it inside a chart marked with OutputFolder' });
      }
      const file = claim(path.posix.join(folder.path, folder.fileName ?? `${construct.kind}-${construct.name}.yaml`.toLowerCase()), construct.node.path, false);
      documents.set(file, [...documents.get(file) ?? [], construct]);
    } else if (isRenderedFile(construct)) {
      texts.set(claim(construct.outputPath, construct.node.path, true), () => construct.render());
    }
  }
  const files = new Map<string, OutputFile>();
  for (const file of [...documents.keys(), ...texts.keys()].sort()) {
    files.set(file, documents.has(file) ? { objects: documents.get(file)!.map(storedForm) } : { render: texts.get(file)! });
  }
  return files;
}

/** An object as the API server stores it: what it renders, plus the defaults the server would add. */
function storedForm(object: ApiObject): Serializable {
  return { toJson: () => withServerDefaults(object.toJson()) };
}
