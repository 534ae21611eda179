export * from './annotations';
export * from './canary-service';
export * from './routing';
