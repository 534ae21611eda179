export * from './argocd-chart';
export * from './ci-workflows';
export * from './fleet-app';
export * from './paths';
export * from './service-chart';
