// Preloaded into the Prisma CLI by our scripts and tests (`node --require`). Prisma 6.19's
// JavaScript schema engine (WebAssembly) starts a 10 s timer, apparently its lock timeout, and
// never clears it, so `migrate deploy`, `db pull`... finished their work and then idled 10 s
// before exiting. Long timers created from the engine are unref'd: they still fire while the
// command runs (its pending database I/O keeps the process alive), but they no longer hold an
// otherwise finished process open.
'use strict';

const originalSetTimeout = globalThis.setTimeout;

function setTimeout(callback, delay, ...args) {
  const timer = originalSetTimeout(callback, delay, ...args);
  if (delay >= 1000 && typeof timer?.unref === 'function' && /wasm-function/.test(new Error().stack ?? '')) {
    timer.unref();
  }
  return timer;
}

// Keep util.promisify.custom and friends.
Object.defineProperties(setTimeout, Object.getOwnPropertyDescriptors(originalSetTimeout));
globalThis.setTimeout = setTimeout;
