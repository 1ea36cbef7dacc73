#!/usr/bin/env python3
"""ONNX Runtime's own Run() loop, through its C API (ctypes), on the libonnxruntime.so that
onnxruntime-node ships: the reference that the detector's bare loop through its worker thread is
compared with (test/tools/ortOwnLoop.ts runs both, alternating). Session options as
src/inference/modelSession.ts sets them: all graph optimisations, sequential, 1 inter-op thread,
spinning as --spin.

usage: python3 ort_c_loop.py MODEL.onnx --threads N --spin 0|1 --runs R --warmup W
                             [--outputs a,b,c] [--lib PATH] [--shape 1,300,300,3 --dtype uint8]

The OrtApi slots below were counted in onnxruntime_c_api.h (the table only grows, so they hold
for later versions) and checked at run time against 1.30.0.
"""
import argparse
import ctypes as C
import glob
import os
import sys
import time

# ---- OrtApi table slots (0-based, one pointer each; table is append-only) ----
IDX = dict(
    CreateStatus=0, GetErrorCode=1, GetErrorMessage=2,
    CreateEnv=3, CreateSession=7, Run=9,
    CreateSessionOptions=10, SetSessionExecutionMode=13,
    SetSessionGraphOptimizationLevel=23, SetIntraOpNumThreads=24, SetInterOpNumThreads=25,
    SessionGetInputCount=30, SessionGetOutputCount=31, SessionGetInputTypeInfo=33,
    SessionGetInputName=36, SessionGetOutputName=37,
    CreateTensorWithDataAsOrtValue=49, CastTypeInfoToTensorInfo=55,
    GetTensorElementType=60, GetDimensionsCount=61, GetDimensions=62,
    CreateCpuMemoryInfo=69, MemoryInfoGetName=71, AllocatorFree=76,
    GetAllocatorWithDefaultOptions=78,
    ReleaseEnv=92, ReleaseStatus=93, ReleaseMemoryInfo=94, ReleaseSession=95,
    ReleaseValue=96, ReleaseTypeInfo=98, ReleaseSessionOptions=100,
    AddSessionConfigEntry=130,
)
# enums
ORT_LOGGING_LEVEL_WARNING = 2
ORT_ENABLE_ALL = 99
ORT_SEQUENTIAL = 0
OrtArenaAllocator = 1
OrtMemTypeDefault = 0
# ONNXTensorElementDataType -> (name, bytes)
ELEM = {1: ("float32", 4), 2: ("uint8", 1), 3: ("int8", 1), 6: ("int32", 4), 7: ("int64", 8)}
DTYPE_CODE = {v[0]: k for k, v in ELEM.items()}
DTYPE_CODE["float"] = 1

P = C.c_void_p
S = C.c_void_p  # OrtStatus* (NULL == OK)


class OrtApiBase(C.Structure):
    _fields_ = [("GetApi", C.CFUNCTYPE(P, C.c_uint32)),
                ("GetVersionString", C.CFUNCTYPE(C.c_char_p))]


class Ort:
    SIGS = dict(
        CreateStatus=(P, C.c_int, C.c_char_p),
        GetErrorCode=(C.c_int, P),
        GetErrorMessage=(C.c_char_p, P),
        CreateEnv=(S, C.c_int, C.c_char_p, C.POINTER(P)),
        CreateSession=(S, P, C.c_char_p, P, C.POINTER(P)),
        Run=(S, P, P, C.POINTER(C.c_char_p), C.POINTER(P), C.c_size_t,
             C.POINTER(C.c_char_p), C.c_size_t, C.POINTER(P)),
        CreateSessionOptions=(S, C.POINTER(P)),
        SetSessionExecutionMode=(S, P, C.c_int),
        SetSessionGraphOptimizationLevel=(S, P, C.c_int),
        SetIntraOpNumThreads=(S, P, C.c_int),
        SetInterOpNumThreads=(S, P, C.c_int),
        SessionGetInputCount=(S, P, C.POINTER(C.c_size_t)),
        SessionGetOutputCount=(S, P, C.POINTER(C.c_size_t)),
        SessionGetInputTypeInfo=(S, P, C.c_size_t, C.POINTER(P)),
        SessionGetInputName=(S, P, C.c_size_t, P, C.POINTER(P)),
        SessionGetOutputName=(S, P, C.c_size_t, P, C.POINTER(P)),
        CreateTensorWithDataAsOrtValue=(S, P, P, C.c_size_t, C.POINTER(C.c_int64), C.c_size_t,
                                        C.c_int, C.POINTER(P)),
        CastTypeInfoToTensorInfo=(S, P, C.POINTER(P)),
        GetTensorElementType=(S, P, C.POINTER(C.c_int)),
        GetDimensionsCount=(S, P, C.POINTER(C.c_size_t)),
        GetDimensions=(S, P, C.POINTER(C.c_int64), C.c_size_t),
        CreateCpuMemoryInfo=(S, C.c_int, C.c_int, C.POINTER(P)),
        MemoryInfoGetName=(S, P, C.POINTER(C.c_char_p)),
        AllocatorFree=(S, P, P),
        GetAllocatorWithDefaultOptions=(S, C.POINTER(P)),
        ReleaseEnv=(None, P), ReleaseStatus=(None, P), ReleaseMemoryInfo=(None, P),
        ReleaseSession=(None, P), ReleaseValue=(None, P), ReleaseTypeInfo=(None, P),
        ReleaseSessionOptions=(None, P),
        AddSessionConfigEntry=(S, P, C.c_char_p, C.c_char_p),
    )

    def __init__(self, libpath, api_version=13):
        self.lib = C.CDLL(libpath)
        self.lib.OrtGetApiBase.restype = C.POINTER(OrtApiBase)
        base = self.lib.OrtGetApiBase().contents
        self.version = base.GetVersionString().decode()
        api = base.GetApi(api_version)
        if not api:
            raise RuntimeError("GetApi(%d) returned NULL" % api_version)
        table = C.cast(api, C.POINTER(P))
        for name, sig in self.SIGS.items():
            fn = C.CFUNCTYPE(sig[0], *sig[1:])(table[IDX[name]])
            setattr(self, "_" + name, fn)

    def __getattr__(self, name):  # checked call for status-returning functions
        fn = self.__dict__["_" + name]
        if self.SIGS[name][0] is not S:
            return fn

        def call(*a):
            st = fn(*a)
            if st:
                msg = self._GetErrorMessage(st).decode(errors="replace")
                code = self._GetErrorCode(st)
                self._ReleaseStatus(st)
                raise RuntimeError("%s failed (code %d): %s" % (name, code, msg))
        return call


def find_lib():
    # test/tools/ -> the repository root (also from dist/test/tools/).
    here = os.path.dirname(os.path.abspath(__file__))
    for root in (os.path.join(here, "..", ".."), os.path.join(here, "..", "..", "..")):
        pattern = os.path.join(root, "node_modules", "onnxruntime-node", "bin", "napi-v*", "linux", "*",
                               "libonnxruntime.so.1")
        hits = sorted(glob.glob(pattern))
        if hits:
            return hits[-1]
    raise SystemExit("libonnxruntime.so.1 of onnxruntime-node not found; pass --lib")


def fill_pattern(nbytes_per, n, code):
    """Deterministic pseudo-random input (xorshift32 / LCG); returns a ctypes buffer."""
    try:
        import numpy as np
        rng = np.random.RandomState(12345)
        if code == 1:
            arr = rng.random_sample(n).astype(np.float32)
        elif code == 2:
            arr = rng.randint(0, 256, n).astype(np.uint8)
        elif code == 3:
            arr = rng.randint(-128, 128, n).astype(np.int8)
        elif code == 6:
            arr = rng.randint(0, 256, n).astype(np.int32)
        else:
            arr = rng.randint(0, 256, n).astype(np.int64)
        buf = (C.c_ubyte * arr.nbytes)()
        C.memmove(buf, arr.ctypes.data, arr.nbytes)
        return buf
    except ImportError:
        pass
    buf = (C.c_ubyte * (n * nbytes_per))()
    x = 12345
    if code == 1:
        fa = C.cast(buf, C.POINTER(C.c_float))
        for i in range(n):
            x = (1103515245 * x + 12345) & 0x7FFFFFFF
            fa[i] = (x >> 8) / float(1 << 23)
    else:
        for i in range(n):
            x = (1103515245 * x + 12345) & 0x7FFFFFFF
            buf[i * nbytes_per] = (x >> 16) & 0x7F
    return buf


def pct(sorted_vals, q):
    if not sorted_vals:
        return float("nan")
    k = (len(sorted_vals) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--spin", type=int, choices=[0, 1], default=0)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--lib", default=None)
    ap.add_argument("--shape", default=None, help="e.g. 1,300,300,3 (overrides model shape)")
    ap.add_argument("--dtype", default=None, help="uint8|float32|int8|int32|int64 (overrides model type)")
    ap.add_argument("--outputs", default=None, help="outputs to fetch, comma separated (default: all)")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()

    ort = Ort(a.lib or find_lib())
    vp = lambda: P()

    env = vp()
    ort.CreateEnv(ORT_LOGGING_LEVEL_WARNING, b"ort_c_loop", C.byref(env))
    so = vp()
    ort.CreateSessionOptions(C.byref(so))
    ort.SetSessionGraphOptimizationLevel(so, ORT_ENABLE_ALL)
    ort.SetIntraOpNumThreads(so, a.threads)
    ort.SetInterOpNumThreads(so, 1)
    ort.SetSessionExecutionMode(so, ORT_SEQUENTIAL)
    ort.AddSessionConfigEntry(so, b"session.intra_op.allow_spinning", str(a.spin).encode())
    ort.AddSessionConfigEntry(so, b"session.inter_op.allow_spinning", str(a.spin).encode())
    sess = vp()
    ort.CreateSession(env, os.fsencode(a.model), so, C.byref(sess))

    alloc = vp()
    ort.GetAllocatorWithDefaultOptions(C.byref(alloc))

    def names(count_fn, name_fn):
        n = C.c_size_t()
        count_fn(sess, C.byref(n))
        out = []
        for i in range(n.value):
            p = vp()
            name_fn(sess, i, alloc, C.byref(p))
            out.append(C.string_at(p.value))
            ort.AllocatorFree(alloc, p)
        return out

    in_names = names(ort.SessionGetInputCount, ort.SessionGetInputName)
    out_names = names(ort.SessionGetOutputCount, ort.SessionGetOutputName)
    if a.outputs:
        wanted = [n.encode() for n in a.outputs.split(",")]
        missing = [n.decode() for n in wanted if n not in out_names]
        if missing:
            raise SystemExit("no such outputs: %s (the model has %s)" % (
                ", ".join(missing), ", ".join(n.decode() for n in out_names)))
        out_names = wanted
    if len(in_names) != 1:
        raise SystemExit("expected 1 input, model has %d: %r" % (len(in_names), in_names))

    # input type/shape from the session
    ti = vp()
    ort.SessionGetInputTypeInfo(sess, 0, C.byref(ti))
    tsi = vp()
    ort.CastTypeInfoToTensorInfo(ti, C.byref(tsi))
    et = C.c_int()
    ort.GetTensorElementType(tsi, C.byref(et))
    nd = C.c_size_t()
    ort.GetDimensionsCount(tsi, C.byref(nd))
    dims = (C.c_int64 * max(nd.value, 1))()
    ort.GetDimensions(tsi, dims, nd.value)
    model_shape = [dims[i] for i in range(nd.value)]
    ort.ReleaseTypeInfo(ti)  # tsi is owned by ti

    code = et.value if a.dtype is None else DTYPE_CODE[a.dtype]
    if code not in ELEM:
        raise SystemExit("unsupported input element type %d" % code)
    if a.shape:
        shape = [int(s) for s in a.shape.split(",")]
    else:
        shape = [d if d > 0 else 1 for d in model_shape]
    if a.verbose or a.dtype or a.shape:
        print("input %s: model type %d shape %s; using type %d shape %s; outputs %s" % (
            in_names[0].decode(), et.value, model_shape, code, shape,
            [n.decode() for n in out_names]), file=sys.stderr)

    n = 1
    for d in shape:
        n *= d
    esz = ELEM[code][1]
    buf = fill_pattern(esz, n, code)
    mi = vp()
    ort.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, C.byref(mi))
    shp = (C.c_int64 * len(shape))(*shape)
    inval = vp()
    ort.CreateTensorWithDataAsOrtValue(mi, C.cast(buf, P), n * esz, shp, len(shape), code,
                                       C.byref(inval))

    c_in_names = (C.c_char_p * 1)(in_names[0])
    c_in_vals = (P * 1)(inval)
    nout = len(out_names)
    c_out_names = (C.c_char_p * nout)(*out_names)
    c_out_vals = (P * nout)()
    run = ort.Run
    rel = ort.ReleaseValue

    def one():
        for i in range(nout):
            c_out_vals[i] = None
        t0 = time.perf_counter()
        run(sess, None, c_in_names, c_in_vals, 1, c_out_names, nout, c_out_vals)
        t1 = time.perf_counter()
        for i in range(nout):
            rel(c_out_vals[i])
        return t1 - t0

    for _ in range(a.warmup):
        one()
    times = []
    w0 = time.perf_counter()
    for _ in range(a.runs):
        times.append(one())
    wall = time.perf_counter() - w0

    ts = sorted(times)
    fps = a.runs / wall if wall > 0 else float("nan")
    print("ort C API: %d runs, threads %d, spin %d: fps %.2f, p50 %.2f ms, p95 %.2f ms, ort version %s"
          % (a.runs, a.threads, a.spin, fps, pct(ts, 0.5) * 1e3, pct(ts, 0.95) * 1e3, ort.version))
    sys.stdout.flush()

    ort.ReleaseValue(inval)
    ort.ReleaseMemoryInfo(mi)
    ort.ReleaseSession(sess)
    ort.ReleaseSessionOptions(so)
    ort.ReleaseEnv(env)


if __name__ == "__main__":
    main()
