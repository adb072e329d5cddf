import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from './client.js';

// A database that accepts TCP connections but never answers (a saturated or hung server) must
// fail a query after connectionTimeoutMillis, not hang (RELIABILITY.md, row 11).
describe('createPrismaClient', () => {
  const sockets = new Set<net.Socket>();
  const silentServer = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let port = 0;

  beforeAll(async () => {
    silentServer.listen(0, '127.0.0.1');
    await once(silentServer, 'listening');
    port = (silentServer.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    silentServer.close();
  });

  it('gives up on a connection that never completes after connectionTimeoutMillis', async () => {
    const db = createPrismaClient(`postgresql://postgres@127.0.0.1:${port}/kiln`, { connectionTimeoutMillis: 300 });
    const started = Date.now();
    const error = await db.$queryRaw`SELECT 1`.catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    await db.$disconnect();
    expect(error).toBeInstanceOf(Error);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
  });
});
