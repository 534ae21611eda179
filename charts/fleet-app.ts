import { App } from 'cdk8s';
import { Fleet, ReleasePins } from '../model';
import { ArgoCdChart } from './argocd-chart';
import { CiWorkflows } from './ci-workflows';
import { NotificationsChart } from './notifications-chart';
import { ServiceChart } from './service-chart';

/** The whole app, and its service charts for commands that read them. */
export interface FleetApp {
  readonly app: App;
  /** One chart per pinned service × environment, environments in promotion order. */
  readonly services: readonly ServiceChart[];
}

/** Builds the whole app: a chart per pinned service × environment, the Argo CD objects, the workflows. */
export function buildFleetApp(fleet: Fleet, pins: ReleasePins): FleetApp {
  const app = new App({ outdir: 'unused: safeSynth writes the files' });
  const services = fleet.deployments(pins).map(deployment => new ServiceChart(app, `${deployment.environment.name}-${deployment.service.name}`, { fleet, deployment }));
  // Every environment that runs a service gets the notifications that file its canaries' verdicts.
  const notifications = fleet.environments.filter(e => services.some(s => s.deployment.environment === e))
    .map(environment => new NotificationsChart(app, `${environment.name}-notifications`, { fleet, environment }));
  new ArgoCdChart(app, 'argocd', { fleet, services, notifications });
  new CiWorkflows(app, 'ci', { fleet, runnerLabel: fleet.runnerLabel });
  return { app, services };
}

/**
 * The app of one service in one environment: its chart alone, with the id and so the construct paths
 * and names it has in {@link buildFleetApp}. A pin change of a deployed service changes nothing else
 * (the Argo CD objects and workflows do not read images), so `release` and `promote` synthesize only
 * this; a test proves any sequence of them equal to a full synth.
 * @returns undefined when the service is not deployed there with these pins
 */
export function buildServiceApp(fleet: Fleet, pins: ReleasePins, environment: string, service: string): App | undefined {
  const deployment = fleet.deployments(pins).find(d => d.environment.name === environment && d.service.name === service);
  if (!deployment) return undefined;
  const app = new App({ outdir: 'unused: safeSynth writes the files' });
  new ServiceChart(app, `${environment}-${service}`, { fleet, deployment });
  return app;
}
