export * from './analysis-demo';
export * from './demo-pod';
export * from './prometheus-server';
