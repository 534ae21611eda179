import { IConstruct } from 'constructs';
import { isEcho } from './problem';

/**
 * Every problem found by the `node.addValidation` checks of the whole tree, in tree order, each
 * starting with the construct path (cdk8s-plus's own checks do not name it). Echoes of an input
 * already reported wrong, in a pattern's children, are left out.
 */
export function validationProblems(app: IConstruct): string[] {
  return app.node.findAll().filter(construct => !isEcho(construct)).flatMap(construct => construct.node.validate()
    .map(problem => !construct.node.path || problem.startsWith(`${construct.node.path}:`) ? problem : `${construct.node.path}: ${problem}`));
}
