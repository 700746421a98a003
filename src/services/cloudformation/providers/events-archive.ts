/**
 * AWS::Events::Archive: an event bus's archive, through EventBridge's own operations. `Ref` is the
 * archive's name, `Fn::GetAtt` gives `Arn`.
 */
import type { Properties, ResourceProvider } from '../provider.js';
import { gone, int, json, onlyKnown, str } from './props.js';

const ARCHIVE = 'AWS::Events::Archive';
const KNOWN = ['ArchiveName', 'SourceArn', 'Description', 'EventPattern', 'RetentionDays', 'KmsKeyIdentifier'];
const setIf = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });

const settings = (props: Properties) => ({
  ...setIf('Description', str(props, 'Description')),
  ...setIf('EventPattern', json(props, 'EventPattern')),
  ...setIf('RetentionDays', int(props, 'RetentionDays')),
});
const provisioned = (name: string, answer: Record<string, unknown>) => ({ physicalId: name, attributes: { Arn: String(answer['ArchiveArn']) } });

const archive: ResourceProvider = {
  replaceOn: ['ArchiveName', 'SourceArn'],
  async create(props, ctx) {
    onlyKnown(ARCHIVE, props, KNOWN.filter((k) => k !== 'KmsKeyIdentifier'));
    const name = str(props, 'ArchiveName') ?? ctx.physicalName(48);
    return provisioned(name, await ctx.call('events', 'CreateArchive', { ArchiveName: name, EventSourceArn: str(props, 'SourceArn'), ...settings(props) }));
  },
  async update(name, props, _previous, ctx) {
    onlyKnown(ARCHIVE, props, KNOWN.filter((k) => k !== 'KmsKeyIdentifier'));
    return provisioned(name, await ctx.call('events', 'UpdateArchive', { ArchiveName: name, ...settings(props) }));
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('events', 'DeleteArchive', { ArchiveName: name }), 'ResourceNotFoundException');
  },
};

export const eventsArchiveProviders: Readonly<Record<string, ResourceProvider>> = { [ARCHIVE]: archive };
