/** A filter pattern CloudWatch Logs would refuse; the API turns it into InvalidParameterException. */
export class FilterPatternError extends Error {}
