export * from './problem';
export * from './validation';
