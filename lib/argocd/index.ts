export * from './app-project';
export * from './application';
export * from './cluster';
export * from './sync-wave';
