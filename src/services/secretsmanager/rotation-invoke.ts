/** Runs a rotation step on the rotation function, synchronously, through the platform's own invoker. */
import type { Invoker } from '../../invoke/invoker.js';
import { parseFunctionRef, type Account } from '../../wire/arn.js';
import type { RotationEvent } from './rotation.js';

export async function invokeRotationFunction(invoker: Invoker, account: Account, functionArn: string, event: RotationEvent): Promise<void> {
  const target = await invoker.resolve(parseFunctionRef(account, functionArn));
  const result = await invoker.invoke(target, Buffer.from(JSON.stringify(event)));
  if (!result.outcome.ok) {
    const error = result.outcome.payload.toString('utf8');
    throw new Error(`${result.outcome.errorType}: ${error}`);
  }
}
