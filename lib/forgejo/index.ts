export * from './action';
export * from './expressions';
export * from './infra-pipeline';
export * from './service-pipeline';
export * from './step';
export * from './workflow';
