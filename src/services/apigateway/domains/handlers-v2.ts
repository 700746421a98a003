/** API Gateway v2's operations on custom domain names and API mappings (the same domains as v1's). */
import type { OperationHandler } from '../../../api/service.js';
import { ApiGatewayV2Errors } from '../../../wire/errors.js';
import type { DomainInput, DomainNames } from './domain-names.js';
import { renderApiMapping, renderDomainV2 } from './render.js';

type In = Record<string, unknown>;
type Config = { CertificateArn?: string; CertificateName?: string; EndpointType?: 'REGIONAL' | 'EDGE'; SecurityPolicy?: string };

/** v2 describes a domain by its one configuration: a REGIONAL one by default. */
function fromConfigurations(list: unknown): Omit<DomainInput, 'domainName'> {
  const configs = (list as Config[] | undefined) ?? [];
  if (configs.length > 1) throw ApiGatewayV2Errors.badRequest('Only one domain name configuration is supported.');
  const c = configs[0] ?? {};
  const type = c.EndpointType ?? 'REGIONAL';
  return {
    endpointType: type,
    ...(c.SecurityPolicy ? { securityPolicy: c.SecurityPolicy } : {}),
    ...(type === 'REGIONAL'
      ? { ...(c.CertificateArn ? { regionalCertificateArn: c.CertificateArn } : {}), ...(c.CertificateName ? { regionalCertificateName: c.CertificateName } : {}) }
      : { ...(c.CertificateArn ? { certificateArn: c.CertificateArn } : {}), ...(c.CertificateName ? { certificateName: c.CertificateName } : {}) }),
  };
}

export function domainHandlersV2(domains: DomainNames, region: string): Record<string, OperationHandler> {
  const str = (i: In, k: string) => i[k] as string;
  const render = (d: Parameters<typeof renderDomainV2>[0]) => renderDomainV2(d, region);
  const byId = (i: In) => (m: { id: string }) => m.id === str(i, 'ApiMappingId');
  return {
    CreateDomainName: async (i) => render(await domains.create({ domainName: str(i, 'DomainName'), ...fromConfigurations(i['DomainNameConfigurations']), tags: (i['Tags'] as Record<string, string>) ?? {} })),
    GetDomainName: async (i) => render(await domains.get(str(i, 'DomainName'))),
    GetDomainNames: async () => ({ Items: (await domains.list()).map(render) }),
    UpdateDomainName: async (i) => {
      if (i['DomainNameConfigurations'] === undefined) return render(await domains.get(str(i, 'DomainName')));
      const next = fromConfigurations(i['DomainNameConfigurations']);
      return render(
        await domains.update(str(i, 'DomainName'), (d) => {
          // The one configuration replaces the certificate wholesale, as the endpoint type may change with it.
          for (const k of ['certificateArn', 'certificateName', 'regionalCertificateArn', 'regionalCertificateName'] as const) delete d[k];
          return Object.assign(d, next);
        }),
      );
    },
    DeleteDomainName: async (i) => {
      await domains.delete(str(i, 'DomainName'));
      return {};
    },

    CreateApiMapping: async (i) => renderApiMapping(await domains.addMapping(str(i, 'DomainName'), { key: str(i, 'ApiMappingKey') ?? '', apiId: str(i, 'ApiId'), stage: str(i, 'Stage') }, 'any')),
    GetApiMapping: async (i) => {
      const d = await domains.get(str(i, 'DomainName'));
      const m = d.mappings.find(byId(i));
      if (!m) throw ApiGatewayV2Errors.notFound(`Invalid ApiMapping identifier specified ${str(i, 'ApiMappingId')}`);
      return renderApiMapping(m);
    },
    GetApiMappings: async (i) => ({ Items: (await domains.get(str(i, 'DomainName'))).mappings.map(renderApiMapping) }),
    UpdateApiMapping: async (i) =>
      renderApiMapping(
        await domains.updateMapping(
          str(i, 'DomainName'),
          byId(i),
          (m) => ({ ...m, apiId: str(i, 'ApiId'), ...(i['ApiMappingKey'] !== undefined ? { key: str(i, 'ApiMappingKey') } : {}), ...(i['Stage'] !== undefined ? { stage: str(i, 'Stage') } : {}) }),
          'any',
        ),
      ),
    DeleteApiMapping: async (i) => {
      await domains.deleteMapping(str(i, 'DomainName'), byId(i));
      return {};
    },
  };
}
