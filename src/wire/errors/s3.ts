import { kind, entry, text } from './core.js';

const S3_REST = "one of S3's REST error codes, which its model does not list";
const s3Outside = (name: string, status: number) => kind(name, status, { outsideModel: S3_REST });
const NO_SUCH_KEY = kind('NoSuchKey', 404);
const CORS_FORBIDDEN = s3Outside('AccessForbidden', 403);
/** What S3 says of a delete marker it met: that it is one, and its version. */
const markerHeaders = (versionId: string, lastModified: number) => ({ 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId, 'Last-Modified': new Date(lastModified).toUTCString() });

/** S3's errors (rest-xml): the codes and messages S3 answers with; extra fields become elements of `<Error>`. */
export const S3Errors = {
  noSuchBucket: entry(kind('NoSuchBucket', 404), (_bucket: string) => 'The specified bucket does not exist', (bucket: string) => ({ fields: { BucketName: bucket } })),
  noSuchKey: entry(NO_SUCH_KEY, (_key: string) => 'The specified key does not exist.', (key: string) => ({ fields: { Key: key } })),
  /** A GET or HEAD without a version id whose key's newest version is a delete marker. */
  deletedKey: entry(
    NO_SUCH_KEY,
    (_key: string, _versionId: string, _lastModified: number) => 'The specified key does not exist.',
    (key: string, versionId: string, lastModified: number) => ({ fields: { Key: key }, headers: markerHeaders(versionId, lastModified) }),
  ),
  noSuchVersion: entry(
    s3Outside('NoSuchVersion', 404),
    (_key: string, _versionId: string) => 'The specified version does not exist.', (key: string, versionId: string) => ({ fields: { Key: key, VersionId: versionId } }),
  ),
  /** A GET or HEAD of a delete marker by its version id (405, with the marker's Last-Modified, as S3 documents). */
  deleteMarkerRead: entry(
    s3Outside('MethodNotAllowed', 405),
    (_method: string, _versionId: string, _lastModified: number) => 'The specified method is not allowed against this resource.',
    (method: string, versionId: string, lastModified: number) => ({ fields: { Method: method, ResourceType: 'DeleteMarker' }, headers: { ...markerHeaders(versionId, lastModified), Allow: 'DELETE' } }),
  ),
  noSuchUpload: entry(
    kind('NoSuchUpload', 404),
    (_uploadId: string) => 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', (uploadId: string) => ({ fields: { UploadId: uploadId } }),
  ),
  bucketAlreadyOwnedByYou: entry(
    kind('BucketAlreadyOwnedByYou', 409),
    (_bucket: string) => 'Your previous request to create the named bucket succeeded and you already own it.', (bucket: string) => ({ fields: { BucketName: bucket } }),
  ),
  invalidRequest: entry(kind('InvalidRequest', 400), text),
  bucketNotEmpty: entry(s3Outside('BucketNotEmpty', 409), (_bucket: string) => 'The bucket you tried to delete is not empty', (bucket: string) => ({ fields: { BucketName: bucket } })),
  invalidBucketName: entry(s3Outside('InvalidBucketName', 400), (_bucket: string) => 'The specified bucket is not valid.', (bucket: string) => ({ fields: { BucketName: bucket } })),
  keyTooLong: entry(s3Outside('KeyTooLongError', 400), (_size: number) => 'Your key is too long', (size: number) => ({ fields: { MaxSizeAllowed: '1024', Size: String(size) } })),
  malformedXml: entry(
    s3Outside('MalformedXML', 400),
    (_reason: string) => 'The XML you provided was not well-formed or did not validate against our published schema',
  ),
  invalidArgument: entry(s3Outside('InvalidArgument', 400), text),
  invalidUri: entry(s3Outside('InvalidURI', 400), () => "Couldn't parse the specified URI."),
  preconditionFailed: entry(
    s3Outside('PreconditionFailed', 412),
    (_condition: string) => 'At least one of the pre-conditions you specified did not hold', (condition: string) => ({ fields: { Condition: condition } }),
  ),
  notModified: entry(s3Outside('NotModified', 304), () => 'Not Modified'),
  invalidRange: entry(
    s3Outside('InvalidRange', 416),
    (_size: number) => 'The requested range is not satisfiable', (size: number) => ({ fields: { ActualObjectSize: String(size) }, headers: { 'Content-Range': `bytes */${size}` } }),
  ),
  entityTooSmall: entry(s3Outside('EntityTooSmall', 400), () => 'Your proposed upload is smaller than the minimum allowed object size.'),
  invalidPart: entry(
    s3Outside('InvalidPart', 400),
    () => 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.',
  ),
  invalidPartOrder: entry(s3Outside('InvalidPartOrder', 400), () => 'The list of parts was not in ascending order. Parts must be ordered by part number.'),
  badDigest: entry(s3Outside('BadDigest', 400), (what: string) => `The ${what} you specified did not match the calculated checksum.`),
  invalidDigest: entry(s3Outside('InvalidDigest', 400), () => 'The Content-MD5 you specified was invalid.'),
  /** A streamed body whose bytes are not the ones its `x-amz-content-sha256` was signed with. */
  contentSha256Mismatch: entry(
    s3Outside('XAmzContentSHA256Mismatch', 400),
    (_declared: string, _computed: string) => "The provided 'x-amz-content-sha256' header does not match what was computed.",
    (declared: string, computed: string) => ({ fields: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed } }),
  ),
  /** A trailer missing, not declared in `x-amz-trailer`, or not a `name:value` line. */
  malformedTrailer: entry(s3Outside('MalformedTrailerError', 400), () => 'The request contained trailing data that was not well-formed or did not conform to our published schema.'),
  incompleteBody: entry(s3Outside('IncompleteBody', 400), () => 'You did not provide the number of bytes specified by the Content-Length HTTP header'),
  noSuchTagSet: entry(s3Outside('NoSuchTagSet', 404), () => 'The TagSet does not exist'),
  noSuchCors: entry(s3Outside('NoSuchCORSConfiguration', 404), () => 'The CORS configuration does not exist'),
  noSuchBucketPolicy: entry(s3Outside('NoSuchBucketPolicy', 404), () => 'The bucket policy does not exist'),
  invalidTag: entry(s3Outside('InvalidTag', 400), text),
  noSuchLifecycle: entry(s3Outside('NoSuchLifecycleConfiguration', 404), () => 'The lifecycle configuration does not exist'),
  malformedPolicy: entry(s3Outside('MalformedPolicy', 400), text),
  accessDenied: entry(kind('AccessDenied', 403), text),
  malformedPostRequest: entry(s3Outside('MalformedPOSTRequest', 400), () => 'The body of your POST request is not well-formed multipart/form-data.'),
  invalidPolicyDocument: entry(s3Outside('InvalidPolicyDocument', 400), (reason: string) => `Invalid Policy: ${reason}`),
  entityTooLarge: entry(
    s3Outside('EntityTooLarge', 400),
    (_max: number) => 'Your proposed upload exceeds the maximum allowed size', (max: number) => ({ fields: { MaxSizeAllowed: String(max) } }),
  ),
  corsForbidden: entry(CORS_FORBIDDEN, (_method: string, _resource: string) => 'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.', (method: string, resource: string) => ({ fields: { Method: method, ResourceType: resource } })),
  corsDisabled: entry(CORS_FORBIDDEN, (_method: string, _resource: string) => 'CORSResponse: CORS is not enabled for this bucket.', (method: string, resource: string) => ({ fields: { Method: method, ResourceType: resource } })),
  internalError: entry(s3Outside('InternalError', 500), () => 'We encountered an internal error. Please try again.'),
} as const;
