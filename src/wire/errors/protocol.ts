import { kind, entry, text } from './core.js';

const COMMON = 'a common error of every AWS API';
const QUERY_COMMON = 'a common error of query APIs';
const SERVICE_UNAVAILABLE = kind('ServiceUnavailable', 503, { outsideModel: COMMON });

/** Errors of every service, whatever its protocol: what the request itself got wrong, or the server. */
export const ProtocolErrors = {
  validation: entry(kind('ValidationException', 400, { queryCode: 'ValidationError', outsideModel: COMMON }), text),
  unknownOperation: entry(
    kind('UnknownOperationException', 400, { outsideModel: 'what JSON services answer an unknown X-Amz-Target with' }),
    (target: string) => `Unknown operation ${target}`,
  ),
  unknownRoute: entry(
    kind('UnknownOperationException', 404, { outsideModel: 'what REST services answer a path no operation has' }),
    () => 'The requested operation is not recognized by the service.',
  ),
  serialization: entry(kind('SerializationException', 400, { outsideModel: 'what JSON services answer a body that is not JSON with' }), text),
  invalidAction: entry(
    kind('InvalidAction', 400, { outsideModel: QUERY_COMMON }),
    (action: string) => `The action ${action} is not valid for this web service.`,
  ),
  missingAction: entry(kind('MissingAction', 400, { outsideModel: QUERY_COMMON }), () => 'The request must contain the parameter Action.'),
  malformedQueryString: entry(kind('MalformedQueryString', 400, { outsideModel: QUERY_COMMON }), text),
  notImplemented: entry(
    kind('NotImplemented', 501, { outsideModel: "Selfless's own: an operation of the model it does not serve yet" }),
    (operation: string) => `Selfless does not implement ${operation} yet.`,
  ),
  internalFailure: entry(kind('InternalFailure', 500, { outsideModel: COMMON }), () => 'An internal error occurred.'),
  serviceUnavailable: entry(SERVICE_UNAVAILABLE, () => 'The server is shutting down.'),
  storeUnreachable: entry(SERVICE_UNAVAILABLE, () => 'The server cannot reach its store just now; try again.'),
  adminLoopbackOnly: entry(
    kind('AccessDeniedException', 403, { outsideModel: "Selfless's own: its admin routes answer only on loopback when signatures are verified" }),
    () => "Selfless's own routes (/_selfless/...) answer only on this machine when --credentials is set.",
  ),
} as const;
