export * from './definitions';
export * from './fleet';
export * from './layout';
export * from './release-pins';
export * from './service-settings';
export * from './source-repository';
