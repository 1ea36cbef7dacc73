import assert from 'node:assert/strict';
import { GroupProcess, groupAlive } from '../../src/bench/groupProcess.js';
import { InterruptedError, ProcessScope } from '../../src/bench/processScope.js';

/** bash that starts a grandchild and ignores SIGINT (as a process that forwards no signal might). */
const STUBBORN = "trap '' INT; sleep 60 & echo started; wait";

describe('GroupProcess', function () {
  this.timeout(20000);

  it('stops the whole group, grandchildren too, SIGKILL when SIGINT is ignored; close() is idempotent', async () => {
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const child = await GroupProcess.start('bash', ['-c', STUBBORN], {
      name: 'stubborn bash',
      onStdoutLine: (line) => line === 'started' && started(),
    });
    await ready;
    assert.ok(groupAlive(child.pid));
    const first = child.close({ graceMs: 300 });
    assert.equal(child.close(), first);
    const status = await first;
    assert.equal(status.signal, 'SIGKILL');
    assert.equal(groupAlive(child.pid), false, 'no member of the group is left');
  });

  it('kills what a process left behind in its group after it exited by itself', async () => {
    const child = await GroupProcess.start('bash', ['-c', 'sleep 60 & echo $!'], { name: 'bash' });
    await child.exited;
    assert.ok(groupAlive(child.pid), 'the orphaned sleep is still in the group');
    await child.close();
    assert.equal(groupAlive(child.pid), false);
  });

  it('fails with its output when it fails, and names what could not be started', async () => {
    const child = await GroupProcess.start('bash', ['-c', 'echo no rclpy here >&2; exit 3'], {
      name: 'the publishers',
    });
    await assert.rejects(
      child.succeeded(),
      /the publishers failed \(exit status 3\); its last output:\nno rclpy here/,
    );
    await assert.rejects(
      GroupProcess.start('no-such-command-mobilenet', [], { name: 'ros2 bag play' }),
      /could not start ros2 bag play \(`no-such-command-mobilenet`\): spawn no-such-command-mobilenet ENOENT/,
    );
  });
});

describe('ProcessScope', function () {
  this.timeout(20000);

  it('on SIGINT rejects what is raced, and close() stops every child', async () => {
    const scope = ProcessScope.open({ close: { graceMs: 300 } });
    try {
      const a = await scope.start('sleep', ['60'], { name: 'a' });
      const b = await scope.start('bash', ['-c', STUBBORN], { name: 'b' });
      const raced = scope.race(new Promise(() => undefined));
      process.kill(process.pid, 'SIGINT');
      await assert.rejects(raced, (error: unknown) => {
        assert.ok(error instanceof InterruptedError);
        assert.equal(error.signal, 'SIGINT');
        return true;
      });
      assert.ok(scope.signal.aborted);
      assert.throws(() => scope.throwIfInterrupted(), InterruptedError);
      await scope.close();
      assert.equal(groupAlive(a.pid), false);
      assert.equal(groupAlive(b.pid), false);
    } finally {
      await scope.close();
    }
    assert.equal(process.listenerCount('SIGINT'), 0, 'its handlers are removed');
  });
});
