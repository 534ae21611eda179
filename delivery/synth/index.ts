export * from './stale-outputs';
export * from './synth-fleet';
