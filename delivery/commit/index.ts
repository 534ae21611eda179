export * from './git-files';
export * from './output-commit';
export * from './prune-guard';
export * from './repo-lock';
export * from './safe-synth';
