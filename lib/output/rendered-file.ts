import { IConstruct } from 'constructs';

const RENDERED_FILE = Symbol.for('infra-delivery.RenderedFile');

/** A construct that synthesizes to one file that is not a Kubernetes object, e.g. a CI workflow. */
export interface IRenderedFile extends IConstruct {
  /** The file's path relative to the repository root. */
  readonly outputPath: string;
  /** The file's content. Called after validation succeeds. */
  render(): string;
}

/** Marks a construct as a rendered file; call it in the construct's constructor. */
export function markRenderedFile(file: IRenderedFile): void {
  Object.defineProperty(file, RENDERED_FILE, { value: true });
}

/** True for constructs marked with {@link markRenderedFile}. */
export function isRenderedFile(construct: IConstruct): construct is IRenderedFile {
  return (construct as unknown as Record<symbol, unknown>)[RENDERED_FILE] === true;
}
