export * from './command';
export * from './commands';
export * from './synth-fleet';
