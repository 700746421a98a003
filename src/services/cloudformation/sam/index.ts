/**
 * The SAM transform (`Transform: AWS::Serverless-2016-10-31`): a pure function from a template with
 * AWS::Serverless::* resources to a plain CloudFormation template. This stub refuses clearly until
 * the transform lands here (another change replaces this file; the engine calls only this function).
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';

export interface ServerlessContext {
  region: string;
  accountId: string;
  partition: string;
  stackName: string;
  /** The values the stack's parameters take, defaults applied. */
  parameterValues: Readonly<Record<string, string>>;
}

/** The expanded template; the engine awaits the answer, so the transform may be synchronous or not. */
export function expandServerless(_template: Record<string, unknown>, _ctx: ServerlessContext): Record<string, unknown> | Promise<Record<string, unknown>> {
  throw CloudFormationErrors.validation('Transform AWS::Serverless-2016-10-31 is not supported yet');
}
