/** Kiln's HTTP and WebSocket api: `buildApp(deps)` for tests and embedding, `startApi(env)` to run it. */
export { buildApp, type BuildAppOptions } from './app.js';
export type { AppDeps } from './deps.js';
export { startApi } from './server.js';
export { CachedPredictor, type Predictor } from './prediction/predictor.js';
