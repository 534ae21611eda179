export * from './definitions';
export * from './fleet';
export * from './image-ref';
export * from './language';
export * from './release-pins';
export * from './service-settings';

export * from './build-records';
