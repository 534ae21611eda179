import * as http from 'http';
import { AddressInfo } from 'net';

/** A stand-in for Prometheus's query API: answers each query with `answer(query)` and records the queries and requests (`METHOD path?parameters`). */
export async function fakePrometheus(
  answer: (query: string) => object,
): Promise<{ url: string; queries: string[]; urls: string[]; close: () => Promise<void> }> {
  const queries: string[] = [];
  const urls: string[] = [];
  const server = http.createServer((request, response) => {
    // Prometheus's API takes its parameters in the URL or, posted, as a form (web/api/v1/api.go, ParseForm).
    let body = '';
    request.on('data', chunk => { body += chunk; });
    request.on('end', () => {
      const params = new URLSearchParams(body);
      const query = params.get('query') ?? new URL(request.url!, 'http://x').searchParams.get('query') ?? '';
      queries.push(query);
      urls.push(body ? `${request.method} ${request.url!}?${body}` : `${request.method} ${request.url!}`);
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify(answer(query)));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, queries, urls, close: () => new Promise(resolve => server.close(() => resolve())) };
}

/** A Prometheus instant-vector answer with one sample per value, values as Prometheus writes them. */
export function vector(...values: string[]): object {
  return { status: 'success', data: { resultType: 'vector', result: values.map(v => ({ metric: {}, value: [0, v] })) } };
}
