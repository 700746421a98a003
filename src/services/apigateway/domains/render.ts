/** Custom domain names in v1's (camelCase, epoch seconds) and v2's (PascalCase, ISO dates) output shapes. */
import type { Input } from '../../../api/service.js';
import { CLOUDFRONT_ZONE, regionalZone, type DomainMapping, type DomainRecord } from './records.js';

const arnOf = (d: DomainRecord, region: string) => `arn:aws:apigateway:${region}::/domainnames/${d.domainName}`;
const nonEmpty = (tags: Record<string, string>) => (Object.keys(tags).length > 0 ? tags : undefined);

export function renderDomainV1(d: DomainRecord, region: string): Input {
  const regional = d.endpointType !== 'EDGE';
  return {
    domainName: d.domainName,
    domainNameArn: arnOf(d, region),
    certificateArn: d.certificateArn,
    certificateName: d.certificateName,
    certificateUploadDate: Math.floor(d.certificateUploadDate / 1000),
    regionalCertificateArn: d.regionalCertificateArn,
    regionalCertificateName: d.regionalCertificateName,
    ...(regional ? { regionalDomainName: d.targetDomainName, regionalHostedZoneId: regionalZone(region) } : { distributionDomainName: d.targetDomainName, distributionHostedZoneId: CLOUDFRONT_ZONE }),
    endpointConfiguration: { types: [d.endpointType] },
    domainNameStatus: 'AVAILABLE',
    securityPolicy: d.securityPolicy,
    tags: nonEmpty(d.tags),
  };
}

/** v1 writes the empty key as `(none)`. */
export const renderBasePathMapping = (m: DomainMapping): Input => ({ basePath: m.key === '' ? '(none)' : m.key, restApiId: m.apiId, stage: m.stage });

export function renderDomainV2(d: DomainRecord, region: string): Input {
  const regional = d.endpointType !== 'EDGE';
  return {
    DomainName: d.domainName,
    DomainNameArn: arnOf(d, region),
    ApiMappingSelectionExpression: '$request.basepath',
    DomainNameConfigurations: [
      {
        ApiGatewayDomainName: d.targetDomainName,
        CertificateArn: regional ? d.regionalCertificateArn : d.certificateArn,
        CertificateName: regional ? d.regionalCertificateName : d.certificateName,
        CertificateUploadDate: new Date(d.certificateUploadDate).toISOString(),
        DomainNameStatus: 'AVAILABLE',
        EndpointType: regional ? 'REGIONAL' : 'EDGE',
        HostedZoneId: regional ? regionalZone(region) : CLOUDFRONT_ZONE,
        SecurityPolicy: d.securityPolicy,
      },
    ],
    Tags: d.tags,
  };
}

export const renderApiMapping = (m: DomainMapping): Input => ({ ApiId: m.apiId, ApiMappingId: m.id, ApiMappingKey: m.key, Stage: m.stage });
