import { kind, entry, text } from './core.js';

/** CloudWatch's errors (JSON and query). */
export const CloudWatchErrors = {
  invalidParameterValue: entry(kind('InvalidParameterValueException', 400, { queryCode: 'InvalidParameterValue' }), text),
  invalidParameterCombination: entry(kind('InvalidParameterCombinationException', 400, { queryCode: 'InvalidParameterCombination' }), text),
  missingParameter: entry(kind('MissingRequiredParameterException', 400, { queryCode: 'MissingParameter' }), text),
  resourceNotFound: entry(kind('ResourceNotFound', 404), text),
  /** What the tagging operations answer for an alarm that does not exist. */
  taggedResourceNotFound: entry(kind('ResourceNotFoundException', 404), (arn: string) => `${arn} not found.`),
  invalidFormat: entry(kind('InvalidFormatFault', 400, { queryCode: 'InvalidFormat' }), text),
  /** A composite alarm's rule that does not parse or names alarms that do not exist. */
  validation: entry(kind('ValidationError', 400, { outsideModel: 'CloudWatch refuses a bad composite AlarmRule with ValidationError, which its model does not list' }), text),
  dashboardInvalidInput: entry(kind('DashboardInvalidInputError', 400, { queryCode: 'InvalidParameterInput' }), text),
  dashboardNotFound: entry(kind('DashboardNotFoundError', 404, { queryCode: 'ResourceNotFound' }), text),
} as const;
