import { Construct, IConstruct } from 'constructs';

const OUTPUT_FOLDER = Symbol.for('infra-delivery.OutputFolder');

/** Properties of an {@link OutputFolder}. */
export interface OutputFolderProps {
  /** The folder, relative to the repository root, the ApiObjects below this construct are written to. */
  readonly path: string;
  /**
   * Write every object into this one file instead of one file per object.
   * @default - one file per object, named `<kind>-<name>.yaml`
   */
  readonly fileName?: string;
}

/** Decides where the Kubernetes objects below it are written; the nearest one above an object wins. */
export class OutputFolder extends Construct {
  /** Marks any construct (a Chart, say) as an output folder. */
  public static mark(construct: IConstruct, props: OutputFolderProps): void {
    Object.defineProperty(construct, OUTPUT_FOLDER, { value: props });
  }

  /** The output folder settings of the nearest marked construct above `construct`, itself included. */
  public static of(construct: IConstruct): OutputFolderProps | undefined {
    for (const scope of [...construct.node.scopes].reverse()) {
      const props = (scope as unknown as Record<symbol, OutputFolderProps | undefined>)[OUTPUT_FOLDER];
      if (props) return props;
    }
    return undefined;
  }

  constructor(scope: Construct, id: string, props: OutputFolderProps) {
    super(scope, id);
    OutputFolder.mark(this, props);
  }
}
