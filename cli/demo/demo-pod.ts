import * as http from 'http';
import { AddressInfo } from 'net';
import { Counter, Histogram, Registry } from 'prom-client';

/** How a demo pod answers. */
export interface PodBehavior {
  /** The share of requests answered 500, exactly: every request that crosses a multiple of 1/errorRate fails. */
  readonly errorRate: number;
  /** How long each answer takes. */
  readonly latencyMs: number;
}

/**
 * One pod of a service, as the analysis sees it: an HTTP server that answers `/` and exposes the
 * metric names and labels a real app exposes (`http_requests_total{code}` and the
 * `http_request_duration_seconds` histogram) on `/metrics`.
 */
export class DemoPod {
  private readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'http_requests_total', help: 'Requests by status code.', labelNames: ['code'], registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Request duration.', buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });
  private readonly server: http.Server;
  private served = 0;

  constructor(private readonly behavior: PodBehavior) {
    // Both series exist before any request, as a real app should create them: no traffic then reads as
    // 0/0 = NaN, not as no data, and the first 5xx counts at once, where a series born at its first
    // error needs two more scrapes before rate() sees any of it.
    this.requests.inc({ code: '200' }, 0);
    this.requests.inc({ code: '500' }, 0);
    this.server = http.createServer((request, response) => {
      if (request.url === '/metrics') {
        void this.registry.metrics().then(text => {
          response.setHeader('Content-Type', this.registry.contentType);
          response.end(text);
        });
        return;
      }
      const failed = Math.floor((this.served + 1) * this.behavior.errorRate) > Math.floor(this.served * this.behavior.errorRate);
      this.served += 1;
      setTimeout(() => {
        const code = failed ? 500 : 200;
        this.requests.inc({ code: String(code) });
        this.duration.observe(this.behavior.latencyMs / 1000);
        response.statusCode = code;
        response.end();
      }, this.behavior.latencyMs);
    });
  }

  /** Starts listening on a free loopback port and returns it. */
  public async start(): Promise<number> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve));
    return this.port;
  }

  /** The port the pod listens on. */
  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}
