export * from './canary-plan';
export * from './dist-objects';
export * from './plan-chart';
export * from './plan-report';
export * from './random-draws';
export * from './comparison-judgement';
