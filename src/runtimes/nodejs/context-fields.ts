/** The context object's parts that every Node.js bootstrap builds alike. */

/** The fields that come from the environment: the same for every invocation of it. */
export function environmentContextFields(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  return {
    functionVersion: env['AWS_LAMBDA_FUNCTION_VERSION'],
    functionName: env['AWS_LAMBDA_FUNCTION_NAME'],
    memoryLimitInMB: env['AWS_LAMBDA_FUNCTION_MEMORY_SIZE'],
    logGroupName: env['AWS_LAMBDA_LOG_GROUP_NAME'],
    logStreamName: env['AWS_LAMBDA_LOG_STREAM_NAME'],
  };
}

/** A JSON header of the Runtime API's `/next` answer (client context, Cognito identity), read as the context shows it. */
export function parseJsonHeader(value: string | undefined, name: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`Cannot parse ${name} as json: ${String(error)}`);
  }
}
