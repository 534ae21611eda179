import * as http from 'http';
import { AddressInfo } from 'net';
import { ForgejoClient } from '../../../delivery/forgejo/forgejo-client';

describe('ForgejoClient', () => {
  test('GIVEN an api that refuses the token WHEN a status is set THEN one error line names the call, the code and the fix', async () => {
    const server = http.createServer((_, response) => {
      response.statusCode = 403;
      response.end('{"message":"token does not have at least one of required scope(s): [write:repository]"}');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/`;
    try {
      await expect(new ForgejoClient(api, 'platform/infra', 't').setStatus('abc1234', { state: 'success', context: 'c', description: 'd' })).rejects.toThrow(
        `forgejo: 'POST ${api}repos/platform/infra/statuses/abc1234' is 403: was refused: {"message":"token does not have at least one of required scope(s): [write:repository]"}; `
        + 'check that the token may comment on pull requests and set commit statuses',
      );
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });

  test('GIVEN an answered release request WHEN closed THEN one PATCH of the issue sets its state to closed', async () => {
    const calls: string[] = [];
    const server = http.createServer((request, response) => {
      let text = '';
      request.on('data', chunk => (text += chunk));
      request.on('end', () => {
        calls.push(`${request.method} ${request.url} ${text}`);
        response.statusCode = 201;
        response.end('{}');
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      await new ForgejoClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`, 'platform/infra', 't').closeIssue(7);
      expect(calls).toEqual(['PATCH /api/v1/repos/platform/infra/issues/7 {"state":"closed"}']);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });

  /** Serves `handle` on 127.0.0.1 for one test. */
  async function serving(handle: http.RequestListener, use: (api: string) => Promise<void>) {
    const server = http.createServer(handle);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`);
    } finally {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    }
  }

  test('GIVEN an api that redirects to another origin WHEN called THEN it is refused and the token is not sent there', async () => {
    const seen: (string | undefined)[] = [];
    await serving((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(302, { location: 'http://localhost:1/steal' }).end();
    }, async api => {
      await expect(new ForgejoClient(api, 'platform/infra', 't').listComments(1)).rejects.toThrow(
        `forgejo: 'GET ${api}/repos/platform/infra/issues/1/comments' is 302: redirects to another origin (http://localhost:1), where the token is not sent; pass the forgejo api url itself as --api`,
      );
    });
    expect(seen).toEqual(['token t']);
  });

  test('GIVEN an api that redirects within its origin WHEN called THEN the redirect is followed', async () => {
    await serving((request, response) => {
      if (request.url!.startsWith('/api/v1/')) response.writeHead(301, { location: request.url!.replace('/api/v1/', '/v1/') }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":1,"body":"b"}]');
    }, async api => {
      expect(await new ForgejoClient(api, 'platform/infra', 't').listComments(1)).toEqual([{ id: 1, body: 'b' }]);
    });
  });

  test('GIVEN an api that answers with html WHEN called THEN one error line says so', async () => {
    await serving((_, response) => response.writeHead(200).end('<html>login</html>'), async api => {
      await expect(new ForgejoClient(api, 'platform/infra', 't').listComments(1)).rejects.toThrow(
        `forgejo: 'GET ${api}/repos/platform/infra/issues/1/comments' is '<html>login</html>': answered with no json`,
      );
    });
  });
});
