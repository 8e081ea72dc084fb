/**
 * Many tests here run child processes synchronously (spawnSync). A test file of such tests can keep its
 * worker's event loop busy for over a minute, and vitest's RPC calls from that worker then time out ("Timeout
 * calling onTaskUpdate"), failing the run although every test passed. Yielding to the event loop after
 * each test lets the worker read the replies.
 */
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
