#!/usr/bin/env node
// Thin launcher: the real entry point is the compiled CLI (npm install runs the build).
// Every finished download needs an fsync of the file and of its folder; libuv runs them on its thread
// pool, whose default of 4 threads would cap parallel downloads. Set before the pool first starts.
process.env.UV_THREADPOOL_SIZE ||= '16';
await import('../dist/cli/main.js');
