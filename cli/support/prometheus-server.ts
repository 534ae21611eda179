import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { fail } from '../../lib/errors';
import { findExecutable, pathFolders } from './executables';

/** A scrape target and the labels Prometheus attaches to its series. */
export interface ScrapeTarget {
  readonly port: number;
  readonly labels: Record<string, string>;
}

/**
 * A real Prometheus (Debian's `prometheus` binary) on loopback, scraping the given targets every
 * second, with its data in a temporary folder that `stop()` removes.
 */
export class PrometheusServer {
  /** Starts Prometheus scraping `targets` every second, and waits until it is ready. */
  public static async start(targets: readonly ScrapeTarget[], timeoutMs = 30_000): Promise<PrometheusServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-prometheus-'));
    const config = [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: demo',
      '    static_configs:',
      ...targets.map(t => `      - targets: ['127.0.0.1:${t.port}']\n        labels: ${JSON.stringify(t.labels)}`),
    ].join('\n');
    return PrometheusServer.launch(dir, config, timeoutMs);
  }

  /**
   * Starts Prometheus, scraping nothing, on a fresh TSDB backfilled from an OpenMetrics file with
   * `promtool tsdb create-blocks-from openmetrics` (Debian's `prometheus` package ships promtool).
   */
  public static async fromOpenMetrics(file: string, timeoutMs = 60_000): Promise<PrometheusServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-prometheus-'));
    try {
      execFileSync(findExecutableOrFail('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', file, path.join(dir, 'data')], { stdio: 'pipe' });
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      const stderr = String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim().split('\n').pop();
      return fail({ at: 'promtool', field: 'openmetrics', value: file, rule: `could not be backfilled: ${stderr}`, fix: 'report this with the file attached' });
    }
    return PrometheusServer.launch(dir, 'global: { evaluation_interval: 1m }', timeoutMs);
  }

  private static async launch(dir: string, config: string, timeoutMs: number): Promise<PrometheusServer> {
    const binary = findPrometheus();
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), `${config}\n`);
    const child = spawn(binary, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', chunk => { stderr += chunk; });
    const server = new PrometheusServer(child, `http://127.0.0.1:${port}`, dir);
    try {
      await waitFor(async () => (await fetch(`${server.url}/-/ready`)).ok, timeoutMs, () => `prometheus did not become ready: ${stderr.trim() || 'no output'}`);
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  private constructor(private readonly child: ChildProcess, public readonly url: string, private readonly dir: string) {}

  /** The values of an instant query, as numbers. */
  public async query(promql: string): Promise<number[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = await response.json() as { data?: { result: { value: [number, string] }[] } };
    return (body.data?.result ?? []).map(r => promNumber(r.value[1]));
  }

  /** Stops Prometheus and removes its data. */
  public async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise(resolve => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      // Escalate after 5 s; the timer is cleared so that nothing outlives the stop.
      const escalation = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(escalation);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A sample value as the HTTP API writes it: Go's strconv format, whose '+Inf' and '-Inf' Number() reads as NaN. */
export function promNumber(value: string): number {
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return Number(value);
}

/** Polls `check` until it is true, or throws `message()` after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(message());
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** The `prometheus` binary in `folders`: PATH, then where Debian installs it. */
export function findPrometheus(folders = [...pathFolders(), '/usr/bin']): string {
  return findExecutableOrFail('prometheus', folders);
}

function findExecutableOrFail(name: string, folders = [...pathFolders(), '/usr/bin']): string {
  const found = findExecutable(name, folders);
  if (!found) fail({ at: name, field: 'PATH', value: name, rule: 'is not installed', fix: "install Debian's package with apt-get install -y prometheus" });
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
