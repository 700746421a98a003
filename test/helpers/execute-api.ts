/**
 * Calling API Gateway APIs over real HTTP: node:http, so that a test can set the Host header
 * (`<id>.execute-api.localhost`, which Node cannot resolve) while connecting to 127.0.0.1.
 */
import { request } from 'node:http';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import { CREDENTIALS } from './platform.js';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json: () => unknown;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sent as Host (host-based addressing); the connection still goes to the server's address. */
  host?: string;
}

export function httpCall(baseUrl: string, path: string, o: CallOptions = {}): Promise<HttpResult> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: o.method ?? 'GET',
        headers: { ...(o.host ? { Host: o.host } : {}), ...(o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}), ...o.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

export const apiGatewayClient = (url: string): APIGatewayClient => new APIGatewayClient({ endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });

export const lambdaUri = (fn: string): string =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${fn}/invocations`;

/** An API whose `/` and `/{proxy+}` send ANY method to a function through a Lambda proxy integration. */
export async function proxyApi(client: APIGatewayClient, fn: string, o: { name?: string; method?: Partial<PutMethodCommandInput>; binaryMediaTypes?: string[]; timeoutInMillis?: number } = {}): Promise<{ id: string; rootId: string; proxyId: string }> {
  const api = await client.send(new CreateRestApiCommand({ name: o.name ?? 'proxy', ...(o.binaryMediaTypes ? { binaryMediaTypes: o.binaryMediaTypes } : {}) }));
  const proxy = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
  for (const resourceId of [api.rootResourceId!, proxy.id!]) {
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId, httpMethod: 'ANY', authorizationType: 'NONE', ...o.method }));
    await client.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId,
        httpMethod: 'ANY',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: lambdaUri(fn),
        ...(o.timeoutInMillis ? { timeoutInMillis: o.timeoutInMillis } : {}),
      }),
    );
  }
  return { id: api.id!, rootId: api.rootResourceId!, proxyId: proxy.id! };
}

export const deploy = (client: APIGatewayClient, restApiId: string, stageName: string, variables?: Record<string, string>) =>
  client.send(new CreateDeploymentCommand({ restApiId, stageName, ...(variables ? { variables } : {}) }));
