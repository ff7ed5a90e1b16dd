/** Injection token of the validated `CellConfig`. */
export const CELL_CONFIG = Symbol('CELL_CONFIG');

/** Injection token of the process's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Injection token of the cache store (Redis with `REDIS_URL`, memory otherwise). */
export const CACHE_STORE = Symbol('CACHE_STORE');
