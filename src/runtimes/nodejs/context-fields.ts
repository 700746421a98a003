/** The context object's fields that come from the environment: the same for every invocation of it. */
export function environmentContextFields(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  return {
    functionVersion: env['AWS_LAMBDA_FUNCTION_VERSION'],
    functionName: env['AWS_LAMBDA_FUNCTION_NAME'],
    memoryLimitInMB: env['AWS_LAMBDA_FUNCTION_MEMORY_SIZE'],
    logGroupName: env['AWS_LAMBDA_LOG_GROUP_NAME'],
    logStreamName: env['AWS_LAMBDA_LOG_STREAM_NAME'],
  };
}
