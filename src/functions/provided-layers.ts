/**
 * AWS-published layers whose work Selfless does itself instead of running their binaries: a function
 * may list them (any account, region and version, as CDK and SAM write them); nothing is mounted
 * under /opt for them, and the platform provides what the layer would.
 */

/** The AWS Parameters and Secrets Lambda Extension (x86_64 and arm64 builds). */
const PARAMETERS_AND_SECRETS = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension(?:-Arm64)?:\d+$/;

export const isParametersAndSecretsLayer = (arn: string): boolean => PARAMETERS_AND_SECRETS.test(arn);

/** Whether Selfless provides this layer itself rather than from a published layer version. */
export const isProvidedLayer = (arn: string): boolean => isParametersAndSecretsLayer(arn);
