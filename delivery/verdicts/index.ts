export * from './stable-image';
export * from './verdict-records';
