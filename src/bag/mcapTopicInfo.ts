import type { McapTypes } from '@mcap/core';

import type { TopicInfo } from './bagReader.js';

const textDecoder = new TextDecoder();

/**
 * One TopicInfo from an MCAP channel and its schema. The type is the schema name (rosbag2 names
 * schemas after the full type, `pkg/msg/Type`); empty when the channel has no schema.
 */
export function topicInfo(
  channel: McapTypes.Channel,
  schema: McapTypes.Schema | undefined,
  messageCount: number,
): TopicInfo {
  const text = schema === undefined ? '' : textDecoder.decode(schema.data);
  return {
    name: channel.topic,
    type: schema?.name ?? '',
    schemaText: text === '' ? undefined : text,
    schemaEncoding: text === '' ? undefined : schema?.encoding,
    messageEncoding: channel.messageEncoding,
    messageCount,
  };
}
