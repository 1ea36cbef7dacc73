"""Starts the mobilenet_ros detector node.

Arguments:
  image_topic   image topic of the single camera (default /camera/image_raw)
  transport     raw | compressed (compressed subscribes to <image_topic>/compressed)
  params_file   ROS parameters YAML for several cameras and everything else (default: none;
                see share/mobilenet_ros/config/params.yaml, the reference of every parameter)
  namespace     namespace of the node and its relative topics (default: none -> /detections)
  use_sim_time  true with `ros2 bag play --clock` (default false)
  lifecycle     true: a managed node that waits for configure/activate (default false)
  respawn       true: start the node again 2 s after it exits by itself, e.g. killed
                for memory or by a crash (default false); Ctrl-C on launch still stops it

Example: ros2 launch mobilenet_ros detector.launch.py image_topic:=/cam/image transport:=compressed
"""

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import LifecycleNode, Node

# Seconds between the node's exit and its restart with respawn:=true (a crash loop stays slow).
RESPAWN_DELAY_S = 2.0


def _flag(context, name):
    return LaunchConfiguration(name).perform(context).lower() in ('true', '1', 'yes')


def _node(context):
    params_file = LaunchConfiguration('params_file').perform(context)
    lifecycle = _flag(context, 'lifecycle')
    parameters = []
    if params_file:
        parameters.append(params_file)
    # Later entries win: the launch arguments set the single camera; a params_file with
    # cameras.names configures several cameras and ignores these two.
    parameters.append({
        'cameras.image_topic': LaunchConfiguration('image_topic').perform(context),
        'cameras.transport': LaunchConfiguration('transport').perform(context),
        'use_sim_time': _flag(context, 'use_sim_time'),
    })
    common = dict(
        package='mobilenet_ros',
        executable='detector',
        name='mobilenet_ros',
        namespace=LaunchConfiguration('namespace').perform(context),
        parameters=parameters,
        output='screen',
        emulate_tty=True,
        respawn=_flag(context, 'respawn'),
        respawn_delay=RESPAWN_DELAY_S,
    )
    if lifecycle:
        return [LifecycleNode(arguments=['--lifecycle'], **common)]
    return [Node(**common)]


def generate_launch_description():
    return LaunchDescription([
        DeclareLaunchArgument('image_topic', default_value='/camera/image_raw',
                              description='image topic of the single camera'),
        DeclareLaunchArgument('transport', default_value='raw', choices=['raw', 'compressed'],
                              description='raw, or compressed (subscribes to <image_topic>/compressed)'),
        DeclareLaunchArgument('params_file', default_value='',
                              description='ROS parameters YAML (several cameras, thresholds, outputs)'),
        DeclareLaunchArgument('namespace', default_value='', description='node namespace'),
        DeclareLaunchArgument('use_sim_time', default_value='false', choices=['true', 'false'],
                              description='use /clock (ros2 bag play --clock)'),
        DeclareLaunchArgument('lifecycle', default_value='false', choices=['true', 'false'],
                              description='run as a managed (lifecycle) node'),
        DeclareLaunchArgument('respawn', default_value='false', choices=['true', 'false'],
                              description=f'start the node again {RESPAWN_DELAY_S:g} s after it exits by itself'),
        OpaqueFunction(function=_node),
    ])
