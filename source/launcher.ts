#!/usr/bin/env node
import module from 'node:module';

// Start-up is mostly compiling the bundle. Node >= 22.1 keeps the compiled code of every module
// loaded after this call between runs (in the OS temp directory; NODE_DISABLE_COMPILE_CACHE=1
// turns it off); Node 20 has no such cache and starts without it.
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();
await import('./cli.js');
