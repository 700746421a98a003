/**
 * Custom domain names: AWS::ApiGateway::DomainName and BasePathMapping (v1), AWS::ApiGatewayV2::DomainName
 * and ApiMapping (v2), through API Gateway's own operations (one namespace, as on AWS). A domain's `Ref`
 * is its name; an ApiMapping's is its id. Certificates are stored, never checked (Selfless serves no ACM).
 * DomainNameV2 and BasePathMappingV2 (private custom domains, reached through VPC endpoints) are not served.
 */
import type { Properties, Provisioned, ResourceContext, ResourceProvider } from '../provider.js';
import { tagMap } from './common.js';
import { changed, gone, list, obj, onlyKnown, str } from './props.js';

const NOT_FOUND = 'NotFoundException';
const setIf = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });
type Out = Record<string, unknown>;

const V1_DOMAIN = 'AWS::ApiGateway::DomainName';
const V1_DOMAIN_PROPS = ['DomainName', 'CertificateArn', 'RegionalCertificateArn', 'EndpointConfiguration', 'SecurityPolicy', 'Tags'];

const v1DomainResult = (d: Out): Provisioned => ({
  physicalId: String(d['domainName']),
  attributes: {
    RegionalDomainName: d['regionalDomainName'] ?? '',
    RegionalHostedZoneId: d['regionalHostedZoneId'] ?? '',
    DistributionDomainName: d['distributionDomainName'] ?? '',
    DistributionHostedZoneId: d['distributionHostedZoneId'] ?? '',
    DomainNameArn: d['domainNameArn'],
  },
});
const endpointType = (props: Properties): string | undefined => list<string>(obj(props, 'EndpointConfiguration') ?? {}, 'Types')[0];

const v1Domain: ResourceProvider = {
  replaceOn: ['DomainName'],
  async create(props, ctx) {
    onlyKnown(V1_DOMAIN, props, V1_DOMAIN_PROPS);
    const tags = tagMap(props, ctx);
    const type = endpointType(props);
    const made = await ctx.call('apigateway', 'CreateDomainName', {
      domainName: str(props, 'DomainName'),
      ...setIf('certificateArn', str(props, 'CertificateArn')),
      ...setIf('regionalCertificateArn', str(props, 'RegionalCertificateArn')),
      ...setIf('securityPolicy', str(props, 'SecurityPolicy')),
      ...(type ? { endpointConfiguration: { types: [type] } } : {}),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    });
    return v1DomainResult(made);
  },
  async update(name, props, previous, ctx) {
    onlyKnown(V1_DOMAIN, props, V1_DOMAIN_PROPS);
    const ops: { op: string; path: string; value: string }[] = [];
    for (const [prop, path] of [['CertificateArn', '/certificateArn'], ['RegionalCertificateArn', '/regionalCertificateArn'], ['SecurityPolicy', '/securityPolicy']] as const) {
      if (changed(props, previous, prop) && str(props, prop) !== undefined) ops.push({ op: 'replace', path, value: str(props, prop)! });
    }
    if (changed(props, previous, 'EndpointConfiguration') && endpointType(props)) ops.push({ op: 'replace', path: '/endpointConfiguration/types/0', value: endpointType(props)! });
    const d = ops.length > 0 ? await ctx.call('apigateway', 'UpdateDomainName', { domainName: name, patchOperations: ops }) : await ctx.call('apigateway', 'GetDomainName', { domainName: name });
    return v1DomainResult(d);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteDomainName', { domainName: name }), NOT_FOUND);
  },
};

const MAPPING = 'AWS::ApiGateway::BasePathMapping';
const MAPPING_PROPS = ['DomainName', 'BasePath', 'RestApiId', 'Stage', 'Id'];
/** The physical id: `<domain>/<base path>`, `(none)` for the root, as the v1 operations address a mapping. */
const basePathOf = (props: Properties): string => str(props, 'BasePath') || '(none)';
const mappingId = (props: Properties) => `${str(props, 'DomainName')}/${basePathOf(props)}`;
const splitId = (id: string) => {
  const slash = id.indexOf('/');
  return { domainName: id.slice(0, slash), basePath: id.slice(slash + 1) };
};

const basePathMapping: ResourceProvider = {
  replaceOn: ['DomainName'],
  async create(props, ctx) {
    onlyKnown(MAPPING, props, MAPPING_PROPS);
    await ctx.call('apigateway', 'CreateBasePathMapping', { domainName: str(props, 'DomainName'), basePath: basePathOf(props), restApiId: str(props, 'RestApiId'), ...setIf('stage', str(props, 'Stage')) });
    return { physicalId: mappingId(props), attributes: {} };
  },
  async update(id, props, previous, ctx) {
    onlyKnown(MAPPING, props, MAPPING_PROPS);
    const ops: { op: string; path: string; value: string }[] = [];
    if (changed(props, previous, 'BasePath')) ops.push({ op: 'replace', path: '/basePath', value: basePathOf(props) });
    if (changed(props, previous, 'RestApiId')) ops.push({ op: 'replace', path: '/restapiId', value: str(props, 'RestApiId')! });
    if (changed(props, previous, 'Stage') && str(props, 'Stage') !== undefined) ops.push({ op: 'replace', path: '/stage', value: str(props, 'Stage')! });
    const { domainName, basePath } = splitId(id);
    if (ops.length > 0) await ctx.call('apigateway', 'UpdateBasePathMapping', { domainName, basePath, patchOperations: ops });
    return { physicalId: mappingId(props), attributes: {} };
  },
  async delete(id, _props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteBasePathMapping', splitId(id)), NOT_FOUND);
  },
};

const V2_DOMAIN = 'AWS::ApiGatewayV2::DomainName';
const V2_DOMAIN_PROPS = ['DomainName', 'DomainNameConfigurations', 'Tags'];
const CONFIG_KEYS = ['CertificateArn', 'CertificateName', 'EndpointType', 'SecurityPolicy'];
const configurationsOf = (props: Properties) => list<Properties>(props, 'DomainNameConfigurations').map((c) => Object.fromEntries(CONFIG_KEYS.filter((k) => c[k] !== undefined).map((k) => [k, c[k]])));

const v2DomainResult = (d: Out): Provisioned => {
  const config = ((d['DomainNameConfigurations'] as Out[] | undefined) ?? [])[0] ?? {};
  return { physicalId: String(d['DomainName']), attributes: { RegionalDomainName: config['ApiGatewayDomainName'] ?? '', RegionalHostedZoneId: config['HostedZoneId'] ?? '', DomainNameArn: d['DomainNameArn'] } };
};

const v2Domain: ResourceProvider = {
  replaceOn: ['DomainName'],
  async create(props, ctx) {
    onlyKnown(V2_DOMAIN, props, V2_DOMAIN_PROPS);
    // Tags of a V2 resource are a map, not a list.
    const tags = { ...ctx.stackTags, ...((obj(props, 'Tags') as Record<string, string> | undefined) ?? {}) };
    return v2DomainResult(await ctx.call('apigatewayv2', 'CreateDomainName', { DomainName: str(props, 'DomainName'), DomainNameConfigurations: configurationsOf(props), Tags: tags }));
  },
  async update(name, props, previous, ctx) {
    onlyKnown(V2_DOMAIN, props, V2_DOMAIN_PROPS);
    const d = changed(props, previous, 'DomainNameConfigurations')
      ? await ctx.call('apigatewayv2', 'UpdateDomainName', { DomainName: name, DomainNameConfigurations: configurationsOf(props) })
      : await ctx.call('apigatewayv2', 'GetDomainName', { DomainName: name });
    return v2DomainResult(d);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('apigatewayv2', 'DeleteDomainName', { DomainName: name }), NOT_FOUND);
  },
};

const API_MAPPING = 'AWS::ApiGatewayV2::ApiMapping';
const API_MAPPING_PROPS = ['DomainName', 'ApiId', 'Stage', 'ApiMappingKey'];
const apiMappingInput = (props: Properties) => ({ ApiId: str(props, 'ApiId'), Stage: str(props, 'Stage'), ApiMappingKey: str(props, 'ApiMappingKey') ?? '' });

const apiMapping: ResourceProvider = {
  replaceOn: ['DomainName'],
  async create(props, ctx: ResourceContext) {
    onlyKnown(API_MAPPING, props, API_MAPPING_PROPS);
    const made = await ctx.call('apigatewayv2', 'CreateApiMapping', { DomainName: str(props, 'DomainName'), ...apiMappingInput(props) });
    const id = String(made['ApiMappingId']);
    return { physicalId: id, attributes: { ApiMappingId: id } };
  },
  async update(id, props, _previous, ctx) {
    onlyKnown(API_MAPPING, props, API_MAPPING_PROPS);
    await ctx.call('apigatewayv2', 'UpdateApiMapping', { DomainName: str(props, 'DomainName'), ApiMappingId: id, ...apiMappingInput(props) });
    return { physicalId: id, attributes: { ApiMappingId: id } };
  },
  async delete(id, props, ctx) {
    await gone(ctx.call('apigatewayv2', 'DeleteApiMapping', { DomainName: str(props, 'DomainName'), ApiMappingId: id }), NOT_FOUND);
  },
};

export const apigatewayDomainProviders: Readonly<Record<string, ResourceProvider>> = {
  [V1_DOMAIN]: v1Domain,
  [MAPPING]: basePathMapping,
  [V2_DOMAIN]: v2Domain,
  [API_MAPPING]: apiMapping,
};
