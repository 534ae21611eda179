export * from './action';
export * from './expressions';
export * from './infra-pipeline';
export * from './language';
export * from './service-pipeline';
export * from './set-up-node';
export * from './step';
export * from './workflow';
