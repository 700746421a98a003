/**
 * Types that are no-ops by definition: AWS::CDK::Metadata (CDK adds it to every stack to count
 * usage) and AWS::CloudFormation::WaitConditionHandle (a placeholder CDK and others use).
 */
import type { ResourceProvider } from '../provider.js';

const noop = (attributes: (id: string) => Record<string, unknown>): ResourceProvider => ({
  replaceOn: [],
  async create(_props, ctx) {
    const id = ctx.physicalName(255);
    return { physicalId: id, attributes: attributes(id) };
  },
  async update(id) {
    return { physicalId: id, attributes: attributes(id) };
  },
  async delete() {},
});

export const noopProviders: Record<string, ResourceProvider> = {
  'AWS::CDK::Metadata': noop(() => ({})),
  'AWS::CloudFormation::WaitConditionHandle': noop(() => ({})),
};
