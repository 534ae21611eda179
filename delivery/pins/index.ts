export * from './build-records';
export * from './load-pins';
