/** Something that becomes one YAML document when written: an ApiObject, or plain data wrapped alike. */
export interface Serializable {
  toJson(): unknown;
}

/**
 * One file of a synth's output: Kubernetes objects, resolved and serialized to YAML only when the file
 * is written, or a file that renders its own text (a workflow, a pin file).
 */
export type OutputFile =
  | { readonly objects: readonly Serializable[] }
  | { readonly render: () => string };

/** The Kubernetes documents of a file; a rendered file counts as one document when it is YAML. */
export function documentCount(file: OutputFile): number {
  return 'objects' in file ? file.objects.length : 1;
}
