import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { OutputFile } from './output-file';
import { writeOrLink } from './private/write-or-link';
import { createYamlEmitter } from './private/yaml-emitter';

/** How every Kubernetes document under `dist/` is written: no line folding, no anchors. */
export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** The fast emitter of exactly what `yaml` writes with {@link YAML_OPTIONS} (`private/yaml-emitter.ts`). */
const emit = createYamlEmitter(YAML, YAML_OPTIONS);

/** One document as YAML, as every file under `dist/` writes it. */
export function toYaml(document: unknown): string {
  return emit(document);
}

/** A file's content as written. */
export function fileContent(file: OutputFile): string {
  return 'render' in file ? file.render() : file.objects.map(o => toYaml(o.toJson())).join('---\n');
}

/**
 * Writes `files` under `dir`, creating folders: resolves each object, serializes it to YAML and
 * writes it, or hard-links the same path under `previousRoot` where that holds the same bytes
 * (`private/write-or-link.ts`). A parallel synth runs this on each thread for its share.
 * @returns how many files were written rather than linked
 */
export function writeFiles(dir: string, files: ReadonlyMap<string, OutputFile>, options: WriteOptions = {}): number {
  for (const folder of new Set([...files.keys()].map(file => path.dirname(path.join(dir, file))))) fs.mkdirSync(folder, { recursive: true });
  let written = 0;
  for (const [file, content] of files) {
    const previous = options.previousRoot === undefined ? undefined : path.join(options.previousRoot, file);
    if (writeOrLink(path.join(dir, file), fileContent(content), previous)) written += 1;
  }
  return written;
}

/** Options of {@link writeFiles}. */
export interface WriteOptions {
  /**
   * The folder holding the files as they are now, by the same relative paths; unchanged ones are linked from it.
   * @default - write every file
   */
  readonly previousRoot?: string;
}
