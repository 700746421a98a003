/**
 * Custom resources (AWS::CloudFormation::CustomResource, Custom::*): CloudFormation's request goes to
 * the ServiceToken (a Lambda function, invoked asynchronously, or an SNS topic), and the resource is
 * done when the response object arrives at the request's ResponseURL, a presigned S3 PUT URL on this
 * server; or fails when none arrives in time (an hour by default, as CloudFormation waits).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../lib/clock.js';
import { presignPut, type Signer } from '../engine/response-url.js';
import type { Properties, Provisioned, ResourceContext, ResourceProvider } from '../provider.js';

export interface CustomResourceDeps {
  clock: Clock;
  serverUrl(): string;
  credentials: Signer;
  /** The internal bucket responses land in. */
  bucket: string;
  ensureBucket(): Promise<void>;
  /** The object's bytes, or undefined while it is absent. */
  readIfPresent(bucket: string, key: string): Promise<Buffer | undefined>;
  remove(bucket: string, key: string): Promise<void>;
  timeoutMs: number;
  pollMs: number;
}

/** CloudFormation refuses a response body over 4096 bytes. */
const MAX_RESPONSE_BYTES = 4096;

interface Response {
  Status?: string;
  Reason?: string;
  PhysicalResourceId?: string;
  NoEcho?: boolean;
  Data?: Record<string, unknown>;
}

export function customResourceProvider(d: CustomResourceDeps): ResourceProvider {
  const send = async (type: 'Create' | 'Update' | 'Delete', props: Properties, ctx: ResourceContext, physicalId?: string, old?: Properties): Promise<Response> => {
    const token = String(props['ServiceToken'] ?? '');
    if (!token) throw new Error('ServiceToken is required for a custom resource');
    await d.ensureBucket();
    const requestId = randomUUID();
    const key = `${ctx.stackId.split('/').slice(-1)[0]}/${ctx.logicalId}/${requestId}`;
    const responseUrl = await presignPut(d.serverUrl(), d.bucket, key, ctx.region, d.credentials, Math.ceil(d.timeoutMs / 1000) + 3600, new Date(d.clock.now()));
    const request = {
      RequestType: type,
      ServiceToken: token,
      ResponseURL: responseUrl,
      StackId: ctx.stackId,
      RequestId: requestId,
      LogicalResourceId: ctx.logicalId,
      ...(physicalId !== undefined ? { PhysicalResourceId: physicalId } : {}),
      ResourceType: ctx.resourceType ?? 'AWS::CloudFormation::CustomResource',
      ResourceProperties: props,
      ...(old !== undefined ? { OldResourceProperties: old } : {}),
    };
    const payload = JSON.stringify(request);
    if (token.startsWith('arn:aws:sns:')) await ctx.call('sns', 'Publish', { TopicArn: token, Message: payload });
    else await ctx.call('lambda', 'Invoke', { FunctionName: token, InvocationType: 'Event', Payload: Buffer.from(payload) });
    const body = await waitFor(d, key, requestId);
    if (body.length > MAX_RESPONSE_BYTES) throw new Error(`Response object is too long: ${body.length} bytes; a custom resource's response may not exceed ${MAX_RESPONSE_BYTES}`);
    let response: Response;
    try {
      response = JSON.parse(body.toString('utf8')) as Response;
    } catch {
      throw new Error(`Invalid response from custom resource ${ctx.logicalId}: the response is not JSON`);
    }
    if (response.Status !== 'SUCCESS') throw new Error(`Received response status [${response.Status ?? 'none'}] from custom resource. Message returned: ${response.Reason ?? 'See the details in the function\'s logs'} (RequestId: ${requestId})`);
    return response;
  };
  const provisioned = (r: Response, fallback: string): Provisioned => ({ physicalId: r.PhysicalResourceId || fallback, attributes: { ...(r.Data ?? {}) }, ...(r.NoEcho === true || String(r.NoEcho) === 'true' ? { noEcho: true } : {}) });
  return {
    replaceOn: ['ServiceToken'],
    async create(props, ctx) {
      return provisioned(await send('Create', props, ctx), `${ctx.stackName}-${ctx.logicalId}-${randomUUID().slice(0, 12)}`);
    },
    async update(physicalId, props, previous, ctx) {
      return provisioned(await send('Update', props, ctx, physicalId, previous), physicalId);
    },
    async delete(physicalId, props, ctx) {
      await send('Delete', props, ctx, physicalId);
    },
  };
}

/** Polls for the response object until it arrives or the wait times out (on the injected clock). */
async function waitFor(d: CustomResourceDeps, key: string, requestId: string): Promise<Buffer> {
  const deadline = d.clock.monotonic() + d.timeoutMs;
  for (;;) {
    const body = await d.readIfPresent(d.bucket, key);
    if (body !== undefined) {
      await d.remove(d.bucket, key).catch(() => undefined);
      return body;
    }
    if (d.clock.monotonic() >= deadline) {
      throw new Error(`CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${requestId}]. If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.`);
    }
    await new Promise<void>((resolve) => d.clock.setTimeout(resolve, Math.min(d.pollMs, Math.max(1, deadline - d.clock.monotonic()))));
  }
}
