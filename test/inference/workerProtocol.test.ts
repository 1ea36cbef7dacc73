import assert from 'node:assert/strict';
import { BagError, ImageError, ModelError, fatalError } from '../../src/errors.js';
import {
  MAX_CAUSE_DEPTH,
  deserializeError,
  injectedFault,
  serializeError,
} from '../../src/inference/workerProtocol.js';

/** What crosses the thread boundary: serialized, structured-cloned, rebuilt. */
function across(error: unknown): Error {
  return deserializeError(structuredClone(serializeError(error)));
}

describe('worker protocol: errors across the thread boundary', () => {
  it('keeps class, code, message and the cause chain, recursively', () => {
    const root = new RangeError(`'threads' must be an integer in [1, 256], got 0`);
    const model = new ModelError('WORKER_DIED', 'the inference thread of x.onnx died', {
      cause: root,
    });
    const bag = new BagError('BAG_INVALID', 'x.mcap: corrupt MCAP', { cause: model });
    const image = new ImageError('IMAGE_INVALID', 'frame 3 is not an image', { cause: bag });

    const rebuilt = across(image);
    assert.ok(rebuilt instanceof ImageError);
    assert.equal(rebuilt.code, 'IMAGE_INVALID');
    assert.equal(rebuilt.message, image.message);
    assert.equal(rebuilt.stack, image.stack, 'the stack from the thread that threw');
    const cause1 = rebuilt.cause;
    assert.ok(cause1 instanceof BagError);
    assert.equal(cause1.code, 'BAG_INVALID');
    const cause2 = cause1.cause;
    assert.ok(cause2 instanceof ModelError);
    assert.equal(cause2.code, 'WORKER_DIED');
    assert.equal(cause2.fatal, true);
    const cause3 = cause2.cause;
    assert.ok(cause3 instanceof RangeError);
    assert.equal(cause3.message, root.message);
    assert.equal(cause3.cause, undefined);
    // A fatal error anywhere in the chain is found on this side too.
    assert.equal(fatalError(rebuilt), cause2);
  });

  it('an unknown class stays an Error with its name; a thrown non-Error becomes its text', () => {
    class OrtError extends Error {
      override name = 'OrtError';
    }
    const rebuilt = across(new OrtError('input nope is not expected', { cause: 42 }));
    assert.equal(rebuilt.constructor, Error);
    assert.equal(rebuilt.name, 'OrtError');
    assert.equal(rebuilt.message, 'input nope is not expected');
    assert.ok(rebuilt.cause instanceof Error);
    assert.equal(rebuilt.cause.message, '42');

    // A name that is a property of every object must not pick a class.
    const odd = new Error('odd');
    odd.name = 'constructor';
    const fromOdd = across(odd);
    assert.equal(fromOdd.constructor, Error);
    assert.equal(fromOdd.name, 'constructor');
  });

  it(`bounds the cause chain at ${MAX_CAUSE_DEPTH} causes (a cycle does not loop)`, () => {
    const cyclic = new ModelError('MODEL_CORRUPT', 'a');
    const other = new ModelError('MODEL_CORRUPT', 'b', { cause: cyclic });
    (cyclic as { cause?: unknown }).cause = other;
    let depth = 0;
    for (let e: unknown = across(cyclic); e instanceof Error; e = e.cause) depth++;
    assert.equal(depth, MAX_CAUSE_DEPTH + 1);
  });

  it('parses the fault injection setting and refuses a malformed one', () => {
    assert.equal(injectedFault(undefined), undefined);
    assert.deepEqual(injectedFault('exit:3'), { kind: 'exit', atRun: 3 });
    assert.deepEqual(injectedFault('throw:1'), { kind: 'throw', atRun: 1 });
    assert.throws(
      () => injectedFault('exit:0'),
      /'MOBILENET_ROS_WORKER_FAULT' must be exit:<n> or throw:<n> with n >= 1, got 'exit:0'/,
    );
  });
});
