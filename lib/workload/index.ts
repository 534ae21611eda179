export * from './pod-disruption-budget';
export * from './pod-monitor';
