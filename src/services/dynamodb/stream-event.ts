/** A stream record as GetRecords returns it and as Lambda passes it to functions (which add eventSourceARN). */
import { formatSequence, type ReadRecord } from './stream-service.js';

export function streamRecordJson(r: ReadRecord, region: string): Record<string, unknown> {
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(r.at / 1000),
      Keys: r.keys,
      ...(r.newImage ? { NewImage: r.newImage } : {}),
      ...(r.oldImage ? { OldImage: r.oldImage } : {}),
      SequenceNumber: formatSequence(r.sequence),
      SizeBytes: r.sizeBytes,
      StreamViewType: r.viewType,
    },
    ...(r.service ? { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } } : {}),
  };
}
