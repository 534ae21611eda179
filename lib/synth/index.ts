export * from './output-folder';
export * from './prune-guard';
export * from './render';
export * from './rendered-file';
export * from './safe-synth';
export * from './synth-notes';
