export * from './pod-disruption-budget';
