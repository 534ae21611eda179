export * from './analysis-check';
