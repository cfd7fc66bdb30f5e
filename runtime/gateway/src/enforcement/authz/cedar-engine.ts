import { setFlagsFromString } from 'v8';

// V8 (Node 20 and 22) aborts the process — fatal "unreachable code" in
// `Deoptimizer::DoComputeBuiltinContinuation` — when optimized code that inlined a call into
// WebAssembly is deoptimized while that call is running. The Cedar bindings return JS objects
// from WebAssembly, and the gateway's hot path calls them tens of thousands of times: the abort
// reproduced on every run of `runtime/gateway/test/enforcement/cedar-stress.ts` until inlining of
// JS-to-WebAssembly calls was turned off. The flag only changes how TurboFan compiles calls into
// WebAssembly (Cedar is the process's only WebAssembly), at a cost of a few nanoseconds per call;
// it must be set before hot code is optimized, so it is set when the bindings are first loaded.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

/** The Cedar WebAssembly bindings (CommonJS build); import them only from here. */
export * as cedar from '@cedar-policy/cedar-wasm/nodejs';
