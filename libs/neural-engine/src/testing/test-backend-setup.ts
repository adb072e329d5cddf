import { setDefaultBackend } from '../backend/default-backend.js';
import { testBackend } from './test-backend.js';

/* vitest setup file of the engine projects: models built without a backend use the test backend. */
setDefaultBackend(testBackend());
