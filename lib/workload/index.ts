export * from './image-ref';
export * from './named-target-port';
export * from './pod-disruption-budget';
export * from './pod-monitor';
