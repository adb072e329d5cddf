import type { JobEvent } from '@kiln/contracts';
import type { WebSocket } from 'ws';

/** Beyond this many unsent bytes a reader is too slow: it is closed and reconnects with ?after= from the history. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Close code of a slow reader (1013 "try again later"): nothing was skipped, reconnect with ?after=<last seq>. */
export const SLOW_READER_CLOSE = 1013;

/**
 * Sends events to one socket, never letting its send buffer grow past MAX_BUFFERED_BYTES: a reader that falls that
 * far behind is closed rather than served with gaps or allowed to grow server memory.
 */
export function sendEvent(socket: WebSocket, event: JobEvent): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.close(SLOW_READER_CLOSE, `reader too slow; reconnect with ?after=${event.seq - 1}`);
    return false;
  }
  socket.send(JSON.stringify(event));
  return true;
}
