import { MessageCodec } from '../bag/messageCodec.js';
import { registerFaceMessages } from '../faces/faceMessages.js';
import { MessageRegistry } from '../messages/messageRegistry.js';

const codecs = new Map<string, MessageCodec<unknown>>();
let registry: MessageRegistry | undefined;

/**
 * The CDR codec of a message type this package carries the definition of (the builtins and its
 * own face messages), built once per type: the node reads and writes its topics as bytes with
 * these (see cameraSubscription.ts, cdrPublisher.ts).
 * @throws MessageError when the package has no definition of `typeName`.
 */
export function packageCodec<T>(typeName: string): MessageCodec<T> {
  let codec = codecs.get(typeName);
  if (codec === undefined) {
    if (registry === undefined) {
      registry = MessageRegistry.withBuiltins();
      registerFaceMessages(registry);
    }
    codec = MessageCodec.fromSchema(typeName, registry.schemaText(typeName));
    codecs.set(typeName, codec);
  }
  return codec as MessageCodec<T>;
}
