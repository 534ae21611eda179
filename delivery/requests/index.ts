export * from './release-request';
