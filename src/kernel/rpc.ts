/**
 * Synchronous calls from a guest thread's worker to the supervisor.
 *
 * The worker posts a request on its MessagePort and blocks in Atomics.wait on
 * its thread block's RPC cell; the supervisor handles the request in its
 * event loop (possibly later: a wait4 parks until a child changes state),
 * posts the reply and notifies the cell; the worker then takes the reply with
 * receiveMessageOnPort. Messages the supervisor sends on its own (queued
 * signals) travel on the same port and are set aside for the signal code.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { TB, type ThreadBlock } from './shared.js';

export interface RpcRequest { kind: 'rpc'; id: number; op: string; args: unknown }
export interface RpcReply { kind: 'reply'; id: number; ok: boolean; value?: unknown; errno?: string; message?: string }
/** Unsolicited supervisor → worker messages. */
export type Notice = { kind: 'signal'; signo: number; info: unknown } | { kind: 'stop' } | { kind: 'cont' };

export class RpcError extends Error {
  constructor(readonly errno: string, message?: string) {
    super(message ?? errno);
    this.name = 'RpcError';
  }
}

export class RpcClient {
  private nextId = 1;
  /** Notices that arrived while waiting for a reply, in order. */
  readonly notices: Notice[] = [];

  constructor(private readonly port: MessagePort, private readonly block: ThreadBlock) {}

  call<T>(op: string, args: unknown = null): T {
    const id = this.nextId++;
    Atomics.store(this.block.i32, TB.RPC, 0);
    this.port.postMessage({ kind: 'rpc', id, op, args } satisfies RpcRequest);
    for (;;) {
      Atomics.wait(this.block.i32, TB.RPC, 0);
      Atomics.store(this.block.i32, TB.RPC, 0);
      let m;
      while ((m = receiveMessageOnPort(this.port)) !== undefined) {
        const msg = m.message as RpcReply | Notice | undefined;
        if (!msg || typeof msg !== 'object') continue;
        if (msg.kind === 'reply' && msg.id === id) {
          // later messages stay queued in the port for drain()
          if (!msg.ok) throw new RpcError(msg.errno ?? 'EINVAL', msg.message);
          return msg.value as T;
        }
        if (msg.kind !== 'reply') this.notices.push(msg);
      }
    }
  }

  /** Fire-and-forget message (no reply expected). */
  post(op: string, args: unknown = null): void {
    this.port.postMessage({ kind: 'rpc', id: 0, op, args } satisfies RpcRequest);
  }

  /** Collects notices that arrived while the thread was running. */
  drain(): Notice[] {
    let m;
    while ((m = receiveMessageOnPort(this.port)) !== undefined) {
      const msg = m.message as RpcReply | Notice | undefined;
      if (msg && typeof msg === 'object' && msg.kind !== 'reply') this.notices.push(msg);
    }
    return this.notices.splice(0);
  }
}

/** Supervisor side: reply to a request and wake the waiting worker. */
export function reply(port: MessagePort, block: ThreadBlock, r: RpcReply): void {
  port.postMessage(r);
  Atomics.store(block.i32, TB.RPC, 1);
  Atomics.notify(block.i32, TB.RPC);
}

/** Supervisor side: send a notice and wake the worker from any wait. */
export function notify(port: MessagePort, block: ThreadBlock, n: Notice): void {
  port.postMessage(n);
  block.poke();
}
