import type { JobEvent } from '@kiln/contracts';
import WebSocket from 'ws';

/** A WebSocket client that records events until the server closes the socket. */
export interface StreamRecording {
  events: JobEvent[];
  /** Resolves with the close code once the server closes. */
  closed: Promise<number>;
  socket: WebSocket;
  /** Resolves once an event matches. */
  waitFor(match: (e: JobEvent) => boolean, timeoutMs?: number): Promise<JobEvent>;
}

export async function recordStream(url: string): Promise<StreamRecording> {
  const socket = new WebSocket(url);
  const events: JobEvent[] = [];
  const waiters: { match: (e: JobEvent) => boolean; resolve: (e: JobEvent) => void }[] = [];
  socket.on('message', (data) => {
    const event = JSON.parse(String(data)) as JobEvent;
    events.push(event);
    for (const w of [...waiters]) if (w.match(event)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(event));
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    events,
    closed,
    socket,
    waitFor(match, timeoutMs = 60_000) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got ${events.length} events`)), timeoutMs);
        waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
  };
}

/** Asserts-ready summary: seqs must be 1..n (or after+1..n) without gap or duplicate. */
export function seqProblems(events: readonly JobEvent[], after = 0): string[] {
  const problems: string[] = [];
  events.forEach((e, i) => {
    if (e.seq !== after + i + 1) problems.push(`event ${i} has seq ${e.seq}, expected ${after + i + 1}`);
  });
  return problems;
}
