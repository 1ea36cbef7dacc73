/**
 * onnxruntime-node 1.30's Linux library records usage telemetry unless the process environment
 * says ORT_DISABLE_TELEMETRY (measured here: each process keeps an event database, 3 MB after a
 * day of tests, and a device id under ~/.cache/Microsoft/DeveloperTools/.onnxruntime/, leaves an
 * empty /tmp/mat-debug-<pid>.log, and would upload to Microsoft's collector where the network
 * reaches it). A robot's perception node should not write that to its SD card or send it, so
 * this module turns it off before any session exists, unless the user has set the variable
 * (ORT_DISABLE_TELEMETRY=0 lets onnxruntime record). ONNX Runtime reads it when its environment
 * is created, with the first session; the worker threads share the process environment.
 *
 * Imported for this side effect, first, by every module that loads onnxruntime-node.
 */
if (process.env.ORT_DISABLE_TELEMETRY === undefined) process.env.ORT_DISABLE_TELEMETRY = '1';
