import { Command } from 'commander';

/**
 * `mobilenet-ros run [--lifecycle] [--ros-args ...]`: the ROS 2 node. Everything from
 * `--ros-args` on goes to rcl as in any ROS 2 node (remaps incl. __node/__ns, -p,
 * --params-file, use_sim_time). Without ROS 2 sourced it fails at once, saying how to fix it.
 */
export function runCommand(): Command {
  return new Command('run')
    .description(
      'run the ROS 2 detector node (needs ROS 2 sourced); ROS arguments follow --ros-args',
    )
    .option('--lifecycle', 'run as a managed (lifecycle) node that waits for configure/activate')
    .option(
      '--name <name>',
      'node name (a `-r __node:=NAME` remap in --ros-args wins)',
      'mobilenet_ros',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(
      '-h, --help',
      'show this help; ROS arguments: mobilenet-ros run --ros-args -p detector.score_threshold:=0.4 -r __ns:=/robot',
    )
    .action(async (options: { lifecycle?: boolean; name: string }) => {
      // Loaded here so that other commands never touch the ROS code path.
      const { runDetectorNode } = await import('../ros/runDetectorNode.js');
      process.exitCode = await runDetectorNode({
        lifecycle: options.lifecycle === true,
        nodeName: options.name,
        argv: process.argv.slice(1),
      });
    });
}
