/** FunctionUrlConfig: a Lambda URL (on the alias when there is one) and, for AuthType NONE, its public permissions. */
import { invalidResource } from '../errors.js';
import { isIntrinsic, isObject, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, type PassThrough } from '../model.js';
import type { Emitted } from '../translation.js';

const CORS_TYPES: Record<string, 'list' | 'bool' | 'int'> = {
  AllowOrigins: 'list', AllowMethods: 'list', AllowCredentials: 'bool', AllowHeaders: 'list', ExposeHeaders: 'list', MaxAge: 'int',
};
const PY_TYPE = { list: 'list', bool: 'bool', int: 'int' } as const;

export function buildFunctionUrl(functionId: string, target: Json, config: JsonObject, attributes: PassThrough): Emitted {
  validate(functionId, config);
  const out: Emitted = [
    [
      `${functionId}Url`,
      cfn(
        'AWS::Lambda::Url',
        { Cors: config['Cors'] || undefined, AuthType: config['AuthType'], TargetFunctionArn: target, InvokeMode: config['InvokeMode'] },
        { ...attributes },
      ),
    ],
  ];
  if (config['AuthType'] === 'NONE' && !isIntrinsic(config)) {
    out.push([
      `${functionId}UrlPublicPermissions`,
      cfn(
        'AWS::Lambda::Permission',
        { Action: 'lambda:InvokeFunctionUrl', FunctionName: target, Principal: '*', FunctionUrlAuthType: 'NONE' },
        { ...attributes },
      ),
    ]);
    // Since October 2025 a public URL also needs lambda:InvokeFunction limited to calls through the URL.
    out.push([
      `${functionId}URLInvokeAllowPublicAccess`,
      cfn(
        'AWS::Lambda::Permission',
        { Action: 'lambda:InvokeFunction', Principal: '*', FunctionName: target, InvokedViaFunctionUrl: true },
        { ...attributes },
      ),
    ]);
  }
  return out;
}

function validate(functionId: string, config: JsonObject): void {
  if (isIntrinsic(config)) return;
  const auth = config['AuthType'];
  if (!(auth && isIntrinsic(auth)) && auth !== 'AWS_IAM' && auth !== 'NONE') {
    throw invalidResource(
      functionId,
      'AuthType is required to configure function property `FunctionUrlConfig`. Please provide either AWS_IAM or NONE.',
    );
  }
  const cors = config['Cors'];
  if (!cors || isIntrinsic(cors)) return;
  if (!isObject(cors)) throw invalidResource(functionId, "Property 'FunctionUrlConfig.Cors' should be a map.");
  for (const [name, value] of Object.entries(cors)) {
    const type = CORS_TYPES[name];
    if (!type) throw invalidResource(functionId, `${name} is not a valid property for configuring Cors.`);
    if (isIntrinsic(value)) continue;
    const ok = type === 'list' ? Array.isArray(value) : type === 'bool' ? typeof value === 'boolean' : Number.isInteger(value);
    if (!ok) throw invalidResource(functionId, `${name} must be of type ${PY_TYPE[type]}.`);
  }
}
