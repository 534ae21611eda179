export * from './arg-value';
export * from './canary-step';
export * from './rollout';
export * from './rollout-strategy';
