/**
 * One file of a synth's output: Kubernetes documents, serialized to YAML when written, or a file
 * rendered to text already (a workflow, a pin file).
 */
export type OutputFile =
  | { readonly documents: readonly unknown[] }
  | { readonly text: string };

/** The Kubernetes documents of a file; a text file counts as one document when it is YAML. */
export function documentCount(file: OutputFile): number {
  return 'documents' in file ? file.documents.length : 1;
}
