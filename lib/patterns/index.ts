export * from './canary-service';
export * from './routing';
