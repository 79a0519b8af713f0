/** POSTs one statement to the Query API over HTTPS, trusting only the given CA. */
import type { request as httpsRequest } from 'node:https';

export interface QueryAnswer {
  readonly status: number;
  readonly body: unknown;
}

export function run(options: { port: number; ca: Buffer; user: string; password: string;
  statement: string; request: typeof httpsRequest }): Promise<QueryAnswer> {
  const auth = Buffer.from(`${options.user}:${options.password}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = options.request({
      host: '127.0.0.1', port: options.port, path: '/db/neo4j/query/v2', method: 'POST',
      servername: 'localhost', ca: options.ca,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ statement: options.statement }));
  });
}
