"""The other side of the real-graph tests, in Python (rclpy), so that what the node publishes is
read by another client library: this package's generated message package (mobilenet_ros.msg)
included.

  probe.py sub TOPIC=TYPE[@QOS] ...        print each message as one JSON line
  probe.py pub TOPIC=TYPE[@QOS] SPEC.json  publish the messages of a spec, then stay a moment
  probe.py resolve NAME [ROS ARGS]         print the parameters rclpy resolves for node NAME

QOS is `reliability,durability,depth`, e.g. `best_effort,volatile,1` (default reliable,volatile,10).
`sub` prints {"ready": true} once subscribed, then {"topic": ..., "msg": {...}} per message;
arrays longer than 100 items are replaced by their length ({"len": n}). It stops on SIGINT.
A `pub` spec is a JSON list of messages ({"field": value} as rosidl_runtime_py sets them; a
"data_hex" or "data_file" key fills `data`), sent `period_s` apart after `wait_subscribers`
subscribers matched and `settle_s` (default 0.5) more: the publisher sees a subscription before
that subscriber has matched the publisher, and a best-effort message sent in between is lost
(seen once in CI: the first of five frames never reached the node).
"""

import json
import signal
import sys
import time

import rclpy
from rclpy.node import Node
from rclpy.qos import QoSDurabilityPolicy, QoSProfile, QoSReliabilityPolicy
from rosidl_runtime_py.set_message import set_message_fields
from rosidl_runtime_py.utilities import get_message


def qos_from(text):
    parts = (text or 'reliable,volatile,10').split(',')
    return QoSProfile(
        reliability=QoSReliabilityPolicy.BEST_EFFORT if parts[0] == 'best_effort' else QoSReliabilityPolicy.RELIABLE,
        durability=QoSDurabilityPolicy.TRANSIENT_LOCAL if parts[1] == 'transient_local' else QoSDurabilityPolicy.VOLATILE,
        depth=int(parts[2]),
    )


def endpoint(arg):
    topic, rest = arg.split('=', 1)
    type_name, _, qos = rest.partition('@')
    return topic, get_message(type_name), qos_from(qos)


def to_plain(value):
    """A message as JSON-ready data; sequences over 100 items become {"len": n} without being
    copied (an overlay Image's 921,600 bytes would stall this subscriber and lose messages)."""
    if hasattr(value, 'get_fields_and_field_types'):
        return {name: to_plain(getattr(value, name)) for name in value.get_fields_and_field_types()}
    if isinstance(value, bytes) and len(value) == 1:
        return value[0]  # a `byte` field (DiagnosticStatus.level)
    if hasattr(value, 'item') and not hasattr(value, '__len__'):
        value = value.item()  # a numpy scalar
    if isinstance(value, (list, tuple, bytes, bytearray)) or hasattr(value, '__len__') and not isinstance(value, str):
        if len(value) > 100:
            return {'len': len(value)}
        return [to_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def emit(obj):
    sys.stdout.write(json.dumps(obj, default=str) + '\n')
    sys.stdout.flush()


def run_sub(node, args):
    for arg in args:
        topic, cls, qos = endpoint(arg)
        node.create_subscription(
            cls, topic, lambda msg, t=topic: emit({'topic': t, 'msg': to_plain(msg)}), qos)
    emit({'ready': True})
    rclpy.spin(node)


def run_pub(node, args):
    topic, cls, qos = endpoint(args[0])
    with open(args[1]) as f:
        spec = json.load(f)
    publisher = node.create_publisher(cls, topic, qos)
    deadline = time.monotonic() + 20
    while publisher.get_subscription_count() < spec.get('wait_subscribers', 1) and time.monotonic() < deadline:
        rclpy.spin_once(node, timeout_sec=0.05)
    emit({'matched': publisher.get_subscription_count()})
    settle = time.monotonic() + spec.get('settle_s', 0.5)
    while time.monotonic() < settle:
        rclpy.spin_once(node, timeout_sec=0.05)
    for fields in spec['messages']:
        msg = cls()
        fields = dict(fields)
        if 'data_hex' in fields:
            msg.data = bytes.fromhex(fields.pop('data_hex'))
        if 'data_file' in fields:
            with open(fields.pop('data_file'), 'rb') as f:
                msg.data = f.read()
        set_message_fields(msg, fields)
        publisher.publish(msg)
        emit({'published': fields.get('header', {})})
        time.sleep(spec.get('period_s', 0.1))
    time.sleep(spec.get('linger_s', 0.5))


def run_resolve(args):
    rclpy.init(args=['probe'] + args[1:])
    node = Node(args[0], allow_undeclared_parameters=True,
                automatically_declare_parameters_from_overrides=True)
    emit({'fqn': node.get_fully_qualified_name(),
          'parameters': {name: p.value for name, p in node._parameters.items()}})
    node.destroy_node()
    rclpy.shutdown()


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == 'resolve':
        run_resolve(args)
        return
    rclpy.init(args=['probe'])
    node = Node('probe_%d' % int(time.time() * 1000 % 1e6))
    signal.signal(signal.SIGINT, lambda *_: (_ for _ in ()).throw(SystemExit(0)))
    try:
        if command == 'sub':
            run_sub(node, args)
        elif command == 'pub':
            run_pub(node, args)
        else:
            raise SystemExit('unknown command %s' % command)
    except SystemExit:
        pass
    finally:
        node.destroy_node()
        if rclpy.ok():
            rclpy.shutdown()


if __name__ == '__main__':
    main()
