export * from './argocd-chart';
export * from './ci-workflows';
export * from './fleet-app';
export * from '../model/layout';
export * from './service-chart';
