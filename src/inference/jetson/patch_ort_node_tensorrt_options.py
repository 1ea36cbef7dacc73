#!/usr/bin/env python3
"""Let onnxruntime's Node.js binding pass TensorRT provider options.

The stock binding (js/node/src/session_options_helper.cc) reads only `deviceId` from a
`{name: 'tensorrt', ...}` entry, so fp16, int8, the engine cache and the workspace size cannot be
set from JavaScript, and ORT ignores the ORT_TENSORRT_* environment variables once provider
options are used. This patch forwards every `trt_*` string property of the entry to
OrtApi::UpdateTensorRTProviderOptions, which knows and checks ORT's own option names
(src/inference/executionProvider.ts: ortProviderEntry writes them).

Usage: patch_ort_node_tensorrt_options.py <onnxruntime>/js/node/src/session_options_helper.cc
Edits the file in place; exits 1, naming the anchor, when the source does not look as expected.
"""
import re
import sys

MARK = "mobilenet-ros: TensorRT provider options"


def patch(src: str) -> str:
    if MARK in src:
        return src  # already patched
    edits = [
        (
            "include <vector>",
            r"(#include <unordered_map>\n)",
            r"\1#include <vector>\n",
        ),
        (
            "declare the option map next to deviceId",
            r"(\n(\s*)int deviceId = 0;\n)",
            r"\1\2std::unordered_map<std::string, std::string> trtOptions;  // " + MARK + "\n",
        ),
        (
            "collect trt_* properties after reading deviceId",
            r"(\n(\s*)if \(obj\.Has\(\"deviceId\"\)\) \{\n\s*deviceId = obj\.Get\(\"deviceId\"\)\.As<Napi::Number>\(\);\n\s*\}\n)",
            r"""\1\2if (name == "tensorrt") {  // """ + MARK + r"""
\2  Napi::Array keys = obj.GetPropertyNames();
\2  for (uint32_t k = 0; k < keys.Length(); k++) {
\2    std::string key = keys.Get(k).As<Napi::String>().Utf8Value();
\2    if (key.rfind("trt_", 0) != 0) continue;
\2    Napi::Value value = obj.Get(key);
\2    ORT_NAPI_THROW_TYPEERROR_IF(!value.IsString(), epList.Env(), "Invalid argument: TensorRT option '", key,
\2                                "' must be a string.");
\2    trtOptions[key] = value.As<Napi::String>().Utf8Value();
\2  }
\2}
""",
        ),
        (
            "apply them to the TensorRT V2 options",
            r"(\n(\s*)(\w+)->device_id = deviceId;\n(\s*)sessionOptions\.AppendExecutionProvider_TensorRT_V2)",
            None,
        ),
    ]
    for name, pattern, replacement in edits:
        matches = list(re.finditer(pattern, src))
        if len(matches) != 1:
            sys.exit(f"patch_ort_node_tensorrt_options: anchor '{name}' found {len(matches)} times (expected 1); "
                     "the onnxruntime version changed: update this script")
        if replacement is not None:
            src = re.sub(pattern, replacement, src, count=1)
            continue
        m = matches[0]
        indent, var = m.group(2), m.group(3)
        block = (
            f"\n{indent}{var}->device_id = deviceId;\n"
            f"{indent}if (!trtOptions.empty()) {{  // {MARK}\n"
            f"{indent}  std::vector<const char*> keys, values;\n"
            f"{indent}  for (const auto& kv : trtOptions) {{\n"
            f"{indent}    keys.push_back(kv.first.c_str());\n"
            f"{indent}    values.push_back(kv.second.c_str());\n"
            f"{indent}  }}\n"
            f"{indent}  Ort::ThrowOnError(Ort::GetApi().UpdateTensorRTProviderOptions({var}, keys.data(), values.data(), keys.size()));\n"
            f"{indent}}}\n"
            f"{m.group(4)}sessionOptions.AppendExecutionProvider_TensorRT_V2"
        )
        src = src[: m.start()] + block + src[m.end():]
    return src


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: patch_ort_node_tensorrt_options.py <path to js/node/src/session_options_helper.cc>")
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        src = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(patch(src))
    print(f"patched {path}: TensorRT trt_* provider options are forwarded")


if __name__ == "__main__":
    main()
