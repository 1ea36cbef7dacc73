/**
 * rosbag2 (Jazzy and later) records service introspection topics of type `pkg/srv/Name_Event`
 * with the service's .srv text as the schema (request, `---`, response), not with the definition
 * of the Event message that is on the wire. This module rebuilds the Event definition
 * (rosidl's layout: `ServiceEventInfo info`, `Name_Request[<=1] request`,
 * `Name_Response[<=1] response`) so that such topics decode.
 */

const SEPARATOR = '='.repeat(80);

const SERVICE_EVENT_TYPE = /^([A-Za-z][A-Za-z0-9_]*)\/srv\/([A-Za-z][A-Za-z0-9_]*)_Event$/;

/** service_msgs/msg/ServiceEventInfo (Jazzy); builtin_interfaces/Time is parsed as `time`. */
const SERVICE_EVENT_INFO = `uint8 REQUEST_SENT = 0
uint8 REQUEST_RECEIVED = 1
uint8 RESPONSE_SENT = 2
uint8 RESPONSE_RECEIVED = 3
uint8 event_type
builtin_interfaces/Time stamp
char[16] client_gid
int64 sequence_number
`;

/** Whether a schema is .srv text recorded for a service event type. */
export function isServiceEventSchema(typeName: string, schemaText: string): boolean {
  return SERVICE_EVENT_TYPE.test(typeName) && splitAtDashes(mainSection(schemaText)) !== undefined;
}

/**
 * The ros2msg schema of the Event message for a service event type recorded with its .srv text.
 * Dependency sections that followed the .srv text are kept.
 * @throws TypeError when `typeName` is not `pkg/srv/Name_Event` or the text has no `---` line.
 */
export function serviceEventSchemaText(typeName: string, srvSchemaText: string): string {
  const match = SERVICE_EVENT_TYPE.exec(typeName);
  const main = mainSection(srvSchemaText);
  const parts = splitAtDashes(main);
  if (match === null || parts === undefined) {
    throw new TypeError(
      `expected a pkg/srv/Name_Event type with a .srv schema (request --- response), got ${typeName}`,
    );
  }
  const [, pkg, service] = match;
  const rest = srvSchemaText.slice(main.length);
  const section = (name: string, text: string): string => `\n${SEPARATOR}\nMSG: ${name}\n${text}`;
  return (
    `service_msgs/ServiceEventInfo info\n` +
    `${service}_Request[<=1] request\n` +
    `${service}_Response[<=1] response\n` +
    section('service_msgs/ServiceEventInfo', SERVICE_EVENT_INFO) +
    section(`${pkg}/${service}_Request`, parts[0]) +
    section(`${pkg}/${service}_Response`, parts[1]) +
    rest
  );
}

/** The text before the first dependency separator line. */
function mainSection(schemaText: string): string {
  const lines = schemaText.split('\n');
  const index = lines.findIndex((line) => line.trim() === SEPARATOR);
  return index === -1 ? schemaText : lines.slice(0, index).join('\n');
}

function splitAtDashes(text: string): [string, string] | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.trim() === '---');
  if (index === -1) {
    return undefined;
  }
  return [lines.slice(0, index).join('\n') + '\n', lines.slice(index + 1).join('\n')];
}
