/**
 * Custom domain names, one namespace for API Gateway v1 and v2 as on AWS: each domain's document holds
 * its mappings (v1 base path mappings and v2 API mappings are the same thing seen two ways), so one
 * compare-and-set keeps a domain's mapping keys unique.
 */
import { z } from 'zod';

export const DomainMappingSchema = z.object({
  /** The v2 ApiMappingId. */
  id: z.string(),
  /** The base path / API mapping key without its leading `/`: '' is v1's `(none)`, `v1/orders` is multi-level. */
  key: z.string(),
  apiId: z.string(),
  /** A v1 mapping may leave the stage out: the stage is then the path's first segment after the key. */
  stage: z.string().optional(),
});
export type DomainMapping = z.infer<typeof DomainMappingSchema>;

export const DomainRecordSchema = z.object({
  /** As created, lower-cased (DNS names are case-insensitive; the store's key is this). */
  domainName: z.string(),
  domainNameId: z.string(),
  endpointType: z.enum(['REGIONAL', 'EDGE', 'PRIVATE']),
  certificateArn: z.string().optional(),
  certificateName: z.string().optional(),
  regionalCertificateArn: z.string().optional(),
  regionalCertificateName: z.string().optional(),
  securityPolicy: z.string(),
  /** `d-<id>.execute-api.<region>.amazonaws.com` for REGIONAL, `d<id>.cloudfront.net` for EDGE. */
  targetDomainName: z.string(),
  certificateUploadDate: z.number(),
  tags: z.record(z.string(), z.string()),
  mappings: z.array(DomainMappingSchema),
});
export type DomainRecord = z.infer<typeof DomainRecordSchema>;

/** API Gateway's Route 53 hosted zones: regional endpoints have one per region, CloudFront one for all. */
const REGIONAL_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
};
export const CLOUDFRONT_ZONE = 'Z2FDTNDATAQYW2';
export const regionalZone = (region: string): string => REGIONAL_ZONES[region] ?? REGIONAL_ZONES['us-east-1']!;

/** Characters a mapping key's segments may hold, as API Gateway says: letters, digits and `$-_.+!*'()`. */
const KEY = /^[A-Za-z0-9$\-_.+!*'()]+(?:\/[A-Za-z0-9$\-_.+!*'()]+)*$/;
export const validMappingKey = (key: string): boolean => key === '' || KEY.test(key);
