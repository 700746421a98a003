/** SNS to Lambda: an asynchronous invocation (with Lambda's retries and destinations) of SNS's event. */
import type { Account, FunctionRef } from '../../../wire/arn.js';
import { parseFunctionRef } from '../../../wire/arn.js';
import { lambdaEvent, type EnvelopeContext } from '../envelopes.js';
import { signatureVersionOf, type Deliverer, type Delivery } from './delivery.js';

/** Queues an Event invoke; rejects when the function does not exist. */
export type InvokeAsync = (ref: FunctionRef, payload: Buffer) => Promise<unknown>;

export class LambdaDelivery implements Deliverer {
  constructor(
    private readonly invokeAsync: InvokeAsync,
    private readonly account: Account,
    private readonly ctx: EnvelopeContext,
  ) {}

  async deliver(d: Delivery): Promise<void> {
    const event = await lambdaEvent(this.ctx, d.notification, d.subscription, signatureVersionOf(d.topic));
    await this.invokeAsync(parseFunctionRef(this.account, d.subscription.endpoint), Buffer.from(JSON.stringify(event)));
  }
}
