/** API Gateway v1's operations on custom domain names and base path mappings. */
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { ApigatewayInputs } from '../../../wire/inputs/apigateway.js';
import { ApiGatewayErrors } from '../../../wire/errors.js';
import { page } from '../handlers-apis.js';
import { fields } from '../inputs.js';
import { applyPatches, valueOf, type PatchOperation } from '../patch.js';
import type { DomainInput, DomainNames } from './domain-names.js';
import type { DomainMapping } from './records.js';
import { renderBasePathMapping, renderDomainV1 } from './render.js';

/** `(none)` and the empty path are the root; a leading `/` is not part of the key. */
export const basePathKey = (basePath: string | undefined): string => (basePath === undefined || basePath === '(none)' || basePath === '/' ? '' : basePath.replace(/^\//, ''));

export function domainHandlersV1(domains: DomainNames, region: string): Record<string, OperationHandler> {
  const render = (d: Parameters<typeof renderDomainV1>[0]) => renderDomainV1(d, region);
  const byKey = (i: { basePath: string }) => {
    const key = basePathKey(i.basePath);
    return (m: DomainMapping) => m.key === key;
  };
  return typedHandlers<ApigatewayInputs>({
    CreateDomainName: async (i) => {
      if (i.mutualTlsAuthentication || i.policy || (i.routingMode && i.routingMode !== 'BASE_PATH_MAPPING_ONLY')) throw ApiGatewayErrors.badRequest('Selfless does not serve mutual TLS, private domain names or routing rules.');
      const input: DomainInput = { domainName: i['domainName'], ...fields(i, ['certificateArn', 'certificateName', 'regionalCertificateArn', 'regionalCertificateName', 'securityPolicy', 'tags']) };
      const type = i['endpointConfiguration']?.types?.[0];
      if (type === 'PRIVATE') throw ApiGatewayErrors.badRequest('Selfless does not serve private domain names.');
      if (type !== undefined) input.endpointType = type;
      if (i['certificateBody'] !== undefined) input.certificateName ??= 'uploaded';
      return render(await domains.create(input));
    },
    GetDomainName: async (i) => render(await domains.get(i['domainName'])),
    GetDomainNames: async (i) => page(await domains.list(), i, render),
    UpdateDomainName: async (i) =>
      render(
        await domains.update(i['domainName'], (d) => {
          applyPatches(i['patchOperations'] as PatchOperation[] | undefined, (op, path) => {
            const field = ({ certificateArn: 'certificateArn', certificateName: 'certificateName', regionalCertificateArn: 'regionalCertificateArn', regionalCertificateName: 'regionalCertificateName', securityPolicy: 'securityPolicy' } as const)[path.join('/') as 'certificateArn'];
            if (field && op.op === 'replace') {
              d[field] = valueOf(op);
              return true;
            }
            if (path[0] === 'endpointConfiguration' && path[1] === 'types' && op.op === 'replace') {
              const type = valueOf(op);
              if (type !== 'REGIONAL' && type !== 'EDGE') throw ApiGatewayErrors.badRequest(`Invalid endpoint type ${type}`);
              d.endpointType = type;
              return true;
            }
            return false;
          });
          return d;
        }),
      ),
    DeleteDomainName: async (i) => {
      await domains.delete(i['domainName']);
      return {};
    },

    CreateBasePathMapping: async (i) =>
      renderBasePathMapping(await domains.addMapping(i['domainName'], { key: basePathKey(i['basePath']), apiId: i['restApiId'], ...(i['stage'] ? { stage: i['stage'] } : {}) }, 'rest')),
    GetBasePathMapping: async (i) => {
      const d = await domains.get(i['domainName']);
      const m = d.mappings.find(byKey(i));
      if (!m) throw ApiGatewayErrors.notFound('Invalid base path mapping identifier specified');
      return renderBasePathMapping(m);
    },
    GetBasePathMappings: async (i) => page((await domains.get(i['domainName'])).mappings, i, renderBasePathMapping),
    UpdateBasePathMapping: async (i) =>
      renderBasePathMapping(
        await domains.updateMapping(
          i['domainName'],
          byKey(i),
          (m) => {
            applyPatches(i['patchOperations'] as PatchOperation[] | undefined, (op, path) => {
              if (op.op !== 'replace' || path.length !== 1) return false;
              if (path[0] === 'basePath') m.key = basePathKey(valueOf(op));
              else if (path[0] === 'restapiId' || path[0] === 'restApiId') m.apiId = valueOf(op);
              else if (path[0] === 'stage') m.stage = valueOf(op);
              else return false;
              return true;
            });
            return m;
          },
          'rest',
        ),
      ),
    DeleteBasePathMapping: async (i) => {
      await domains.deleteMapping(i['domainName'], byKey(i));
      return {};
    },
  });
}
