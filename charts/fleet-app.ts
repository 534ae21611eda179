import { App } from 'cdk8s';
import { Fleet, ReleasePins } from '../lib/fleet';
import { ArgoCdChart } from './argocd-chart';
import { CiWorkflows } from './ci-workflows';
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
  new ArgoCdChart(app, 'argocd', { fleet, services });
  new CiWorkflows(app, 'ci', { fleet, runnerLabel: fleet.runnerLabel });
  return { app, services };
}

/** One service in one environment. */
export interface DeploymentKey {
  readonly environment: string;
  readonly service: string;
}

/**
 * The app of some deployments: their charts alone, in fleet order, each with the id and so the
 * construct paths and names it has in {@link buildFleetApp}, so their files are the full synth's. A
 * pin change of a deployed service changes nothing else (the Argo CD objects and workflows do not
 * read images), so `release` and `promote` synthesize only its chart (a test proves any sequence of
 * them equal to a full synth), and a worker thread of a parallel synth builds its share with it.
 * @returns undefined when one of them is not deployed with these pins
 */
export function buildDeploymentsApp(fleet: Fleet, pins: ReleasePins, keys: readonly DeploymentKey[]): App | undefined {
  const wanted = new Set(keys.map(keyOf));
  const deployments = fleet.deployments(pins).filter(d => wanted.has(keyOf({ environment: d.environment.name, service: d.service.name })));
  if (deployments.length !== wanted.size) return undefined;
  const app = new App({ outdir: 'unused: safeSynth writes the files' });
  for (const deployment of deployments) new ServiceChart(app, `${deployment.environment.name}-${deployment.service.name}`, { fleet, deployment });
  return app;
}

function keyOf(key: DeploymentKey): string {
  return `${key.environment}/${key.service}`;
}
