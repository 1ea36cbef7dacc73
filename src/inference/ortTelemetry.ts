/**
 * onnxruntime-node 1.30's Linux library records usage telemetry unless the process environment
 * says ORT_DISABLE_TELEMETRY. Measured here: an event database (3 MB after a day of tests) and a
 * device id under ~/.cache/Microsoft/DeveloperTools/.onnxruntime/, and an empty
 * /tmp/mat-debug-<pid>.log from every process; the library carries an uploader to Microsoft's
 * collector. A robot's perception node should neither wear its SD card with that nor send it, so
 * this module turns it off before any session exists, unless the user has set the variable
 * (ORT_DISABLE_TELEMETRY=0 lets onnxruntime record). ONNX Runtime reads it when its environment
 * is created, with the first session; worker threads share the process environment. (onnxruntime
 * also stays quiet where a CI variable such as CI=true or GITHUB_ACTIONS is set; a robot has none.)
 *
 * Imported for this side effect, first, by every module that loads onnxruntime-node.
 */
if (process.env.ORT_DISABLE_TELEMETRY === undefined) process.env.ORT_DISABLE_TELEMETRY = '1';
