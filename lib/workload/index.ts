export * from './pod-disruption-budget';
export * from './pod-monitor';
export * from './image-ref';
