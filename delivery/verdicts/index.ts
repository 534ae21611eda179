export * from './stable-image';
export * from './verdict-records';
export * from './verdict-issue';
export * from './pin-status';
