export * from './definitions';
export * from './fleet';
export * from './image-ref';
export * from './language';
export * from './release-pins';
export * from './service-settings';
export * from './source-repository';

export * from './build-records';
