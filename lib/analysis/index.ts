export * from './analysis-template';
export * from './presets';
export * from './prometheus-metric';
export * from './promql';
export * from './threshold';
