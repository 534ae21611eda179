export * from './canary-plan';
export * from './dist-objects';
export * from './plan-chart';
export * from './plan-report';
