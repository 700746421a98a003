/**
 * A request on a custom domain name, turned into the execute-api target of its mapping: the API and
 * `/<stage><path after the mapping key>`, which the REST, HTTP and WebSocket doors serve as they serve
 * their own names. The mapping key stays in the path the function sees (`clientPath`), as on AWS.
 */
import type { DomainRouter, FrontDoorTarget } from '../../../api/front-door.js';
import type { DomainNames } from './domain-names.js';

export function domainRouter(domains: DomainNames): DomainRouter {
  return {
    async route(domainName: string, path: string, query: string): Promise<FrontDoorTarget | 'forbidden' | undefined> {
      const found = await domains.route(domainName, path);
      if (!found) return undefined;
      if (!found.mapped) return 'forbidden';
      const { mapping, rest } = found.mapped;
      return {
        kind: 'execute-api',
        id: mapping.apiId,
        path: mapping.stage === undefined ? rest : `/${mapping.stage}${rest}`,
        query,
        hostBased: true,
        domain: { name: found.domain.domainName, basePath: mapping.key, clientPath: path, ...(mapping.stage !== undefined ? { stage: mapping.stage } : {}) },
      };
    },
  };
}
