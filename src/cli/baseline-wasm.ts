import { setFlagsFromString } from 'node:v8';

/**
 * For a command that opens the embedded database (WebAssembly), runs a few queries and exits: V8 then
 * compiles the database's code with its baseline compiler only. By default it recompiles the functions
 * that get hot with its optimising compiler in background threads, and a process waits for that work
 * before it exits: on two busy cores `roach review list` took 3.6-5.7 s with it and 1.3-1.9 s without.
 * The flags leave the baseline tier as it is (a function it cannot compile still gets the optimising
 * one); long runs (crawls, the server, workers) keep the default. Call it before the database opens.
 */
export function useBaselineWasm(): void {
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setFlagsFromString('--no-wasm-tier-up');
}
