export * from './argocd-chart';
export * from './ci-workflows';
export * from './fleet-app';
export * from '../model/layout';
export * from './notifications-chart';
export * from './service-chart';
