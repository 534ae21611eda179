export * from './output-file';
export * from './output-folder';
export * from './rendered-file';
export * from './synth-notes';
