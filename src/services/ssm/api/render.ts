/** SSM Parameter Store's wire shapes (timestamps in epoch seconds). */
import type { ParameterRecord } from '../../../domain/parameter.js';
import type { ReadParameter } from '../parameter-service.js';
import { SsmErrors } from '../../../wire/errors.js';
import type { Input } from '../../../api/service.js';

export const parameterOut = (p: ReadParameter, arn: string): Input => ({
  Name: p.record.name,
  Type: p.version.type,
  Value: p.value,
  Version: p.version.version,
  ...(p.selector !== undefined ? { Selector: p.selector } : {}),
  LastModifiedDate: p.version.modifiedAt / 1000,
  ARN: arn,
  DataType: p.version.dataType,
});

export const historyOut = (p: ReadParameter): Input => ({
  Name: p.record.name,
  Type: p.version.type,
  KeyId: p.version.keyId,
  LastModifiedDate: p.version.modifiedAt / 1000,
  LastModifiedUser: p.version.modifiedBy,
  Description: p.version.description,
  Value: p.value,
  AllowedPattern: p.version.allowedPattern,
  Version: p.version.version,
  Labels: p.version.labels,
  Tier: p.version.tier,
  Policies: [],
  DataType: p.version.dataType,
});

export function metadataOut(r: ParameterRecord, arn: string): Input {
  const v = r.versions[r.versions.length - 1]!;
  return {
    Name: r.name,
    ARN: arn,
    Type: v.type,
    KeyId: v.keyId,
    LastModifiedDate: v.modifiedAt / 1000,
    LastModifiedUser: v.modifiedBy,
    Description: v.description,
    AllowedPattern: v.allowedPattern,
    Version: v.version,
    Tier: v.tier,
    Policies: [],
    DataType: v.dataType,
  };
}

/** NextToken: the offset of the next item, opaque to clients. */
export function page<T>(items: T[], token: string | undefined, limit: number): { items: T[]; NextToken?: string } {
  let offset = 0;
  if (token !== undefined) {
    const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m) throw SsmErrors.invalidNextToken();
    offset = Number(m[1]);
  }
  const next = offset + limit;
  return { items: items.slice(offset, next), ...(next < items.length ? { NextToken: Buffer.from(`o:${next}`).toString('base64') } : {}) };
}
