/** API Gateway v2's operations on custom domain names and API mappings (the same domains as v1's). */
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { ApiGatewayV2Errors } from '../../../wire/errors.js';
import type { Apigatewayv2Inputs, DomainNameConfiguration } from '../../../wire/inputs/apigatewayv2.js';
import type { DomainInput, DomainNames } from './domain-names.js';
import { renderApiMapping, renderDomainV2 } from './render.js';
import { pageOf } from '../../apigatewayv2/paging.js';

/** v2 describes a domain by its one configuration: a REGIONAL one by default. */
function fromConfigurations(configs: readonly DomainNameConfiguration[] = []): Omit<DomainInput, 'domainName'> {
  if (configs.length > 1) throw ApiGatewayV2Errors.badRequest('Only one domain name configuration is supported.');
  const c = configs[0] ?? {};
  const type = c.EndpointType ?? 'REGIONAL';
  const cert = { ...(c.CertificateArn ? { arn: c.CertificateArn } : {}), ...(c.CertificateName ? { name: c.CertificateName } : {}) };
  return {
    endpointType: type,
    ...(c.SecurityPolicy ? { securityPolicy: c.SecurityPolicy } : {}),
    ...(type === 'REGIONAL'
      ? { ...(cert.arn ? { regionalCertificateArn: cert.arn } : {}), ...(cert.name ? { regionalCertificateName: cert.name } : {}) }
      : { ...(cert.arn ? { certificateArn: cert.arn } : {}), ...(cert.name ? { certificateName: cert.name } : {}) }),
  };
}

const unserved = (i: { MutualTlsAuthentication?: unknown; RoutingMode?: string }) => {
  if (i.MutualTlsAuthentication || (i.RoutingMode && i.RoutingMode !== 'API_MAPPING_ONLY')) throw ApiGatewayV2Errors.badRequest('Selfless does not serve mutual TLS or routing rules.');
};

export function domainHandlersV2(domains: DomainNames, region: string): Record<string, OperationHandler> {
  const render = (d: Parameters<typeof renderDomainV2>[0]) => renderDomainV2(d, region);
  const byId = (id: string) => (m: { id: string }) => m.id === id;
  return typedHandlers<Apigatewayv2Inputs>({
    CreateDomainName: async (i) => {
      unserved(i);
      return render(await domains.create({ domainName: i.DomainName, ...fromConfigurations(i.DomainNameConfigurations), tags: i.Tags ?? {} }));
    },
    GetDomainName: async (i) => render(await domains.get(i.DomainName)),
    GetDomainNames: async (i) => pageOf(await domains.list(), i, render),
    UpdateDomainName: async (i) => {
      unserved(i);
      if (i.DomainNameConfigurations === undefined) return render(await domains.get(i.DomainName));
      const next = fromConfigurations(i.DomainNameConfigurations);
      return render(
        await domains.update(i.DomainName, (d) => {
          // The one configuration replaces the certificate wholesale, as the endpoint type may change with it.
          for (const k of ['certificateArn', 'certificateName', 'regionalCertificateArn', 'regionalCertificateName'] as const) delete d[k];
          return Object.assign(d, next);
        }),
      );
    },
    DeleteDomainName: async (i) => {
      await domains.delete(i.DomainName);
      return {};
    },

    CreateApiMapping: async (i) => renderApiMapping(await domains.addMapping(i.DomainName, { key: i.ApiMappingKey ?? '', apiId: i.ApiId, stage: i.Stage }, 'any')),
    GetApiMapping: async (i) => {
      const m = (await domains.get(i.DomainName)).mappings.find(byId(i.ApiMappingId));
      if (!m) throw ApiGatewayV2Errors.notFound(`Invalid ApiMapping identifier specified ${i.ApiMappingId}`);
      return renderApiMapping(m);
    },
    GetApiMappings: async (i) => pageOf((await domains.get(i.DomainName)).mappings, i, renderApiMapping),
    UpdateApiMapping: async (i) =>
      renderApiMapping(
        await domains.updateMapping(
          i.DomainName,
          byId(i.ApiMappingId),
          (m) => ({ ...m, apiId: i.ApiId, ...(i.ApiMappingKey !== undefined ? { key: i.ApiMappingKey } : {}), ...(i.Stage !== undefined ? { stage: i.Stage } : {}) }),
          'any',
        ),
      ),
    DeleteApiMapping: async (i) => {
      await domains.deleteMapping(i.DomainName, byId(i.ApiMappingId));
      return {};
    },
  });
}
