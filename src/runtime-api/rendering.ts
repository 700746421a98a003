/** The only place that writes Runtime API answers, with the documented statuses and bodies. */
export interface ApiAnswer {
  status: number;
  body: string;
}

const err = (status: number, errorType: string, errorMessage: string): ApiAnswer => ({
  status,
  body: JSON.stringify({ errorMessage, errorType }),
});

export const MAX_RESPONSE_BYTES = 6_291_556;

/** The answer to every accepted /response and /error: one object, so the server can send it pre-encoded. */
export const ACCEPTED: ApiAnswer = Object.freeze({ status: 202, body: '{"status":"OK"}' });

export const answers = {
  accepted: (): ApiAnswer => ACCEPTED,
  invalidRequestId: () => err(400, 'InvalidRequestID', 'Invalid request ID'),
  invalidStateTransition: (why: string) => err(403, 'InvalidStateTransition', why),
  tooLarge: () => err(413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`),
  notFound: () => err(404, 'NotFound', 'Unknown Runtime API route'),
  methodNotAllowed: () => err(405, 'MethodNotAllowed', 'Method not allowed on this Runtime API route'),
  containerError: () => err(500, 'Runtime.ExitError', 'The environment is shutting down'),
};

/** Headers of a `/next` answer, from the invocation's fields. */
export function nextHeaders(f: {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
  cognitoIdentity?: string;
  tenantId?: string;
}): string {
  let h =
    'Content-Type: application/json\r\n' +
    `Lambda-Runtime-Aws-Request-Id: ${f.requestId}\r\n` +
    `Lambda-Runtime-Deadline-Ms: ${f.deadlineMs}\r\n` +
    `Lambda-Runtime-Invoked-Function-Arn: ${f.invokedFunctionArn}\r\n` +
    `Lambda-Runtime-Trace-Id: ${f.traceId}\r\n`;
  if (f.clientContext !== undefined) h += `Lambda-Runtime-Client-Context: ${f.clientContext}\r\n`;
  if (f.cognitoIdentity !== undefined) h += `Lambda-Runtime-Cognito-Identity: ${f.cognitoIdentity}\r\n`;
  if (f.tenantId !== undefined) h += `Lambda-Runtime-Aws-Tenant-Id: ${f.tenantId}\r\n`;
  return h;
}
