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
} as const;
