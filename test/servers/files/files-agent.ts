/**
 * A guest-thread stand-in for the shared fd table tests: runs in a
 * worker_thread, attaches a FilesServer to the table it is handed and runs
 * the operations the test posts. Bundled with esbuild by the test.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as host from '../../../src/host/libc.js';
import { ServerError } from '../../../servers/common/errno.js';
import type { Interrupter } from '../../../servers/common/interrupt.js';
import { FilesServer, type SharedFilesHandle } from '../../../servers/files/files-server.js';

interface Init {
  handle: SharedFilesHandle;
  /** Interrupter: host eventfd + an Int32 flag "a signal is pending". */
  wakeFd: number;
  flag: SharedArrayBuffer;
}

const init = workerData as Init;
const flag = new Int32Array(init.flag);
const interrupter: Interrupter = {
  wakeFd: init.wakeFd,
  wakeCell: { array: flag, index: 1 },
  pending: () => {
    try { host.eventfdRead(init.wakeFd); } catch { /* EAGAIN: nothing to consume */ }
    return Atomics.exchange(flag, 0, 0) !== 0;
  },
};
const files = FilesServer.attach(init.handle, { interrupter });

type Op =
  | { op: 'open'; path: string; count: number; go?: SharedArrayBuffer }
  | { op: 'close'; fds: number[] }
  | { op: 'read'; fd: number; n: number }
  | { op: 'write'; fd: number; data: Uint8Array }
  | { op: 'fds' };

function run(m: Op): unknown {
  switch (m.op) {
    case 'open': {
      if (m.go) Atomics.wait(new Int32Array(m.go), 0, 0); // start together
      const fds: number[] = [];
      for (let i = 0; i < m.count; i++) fds.push(files.open('cwd', m.path, { access: 'r' }));
      return fds;
    }
    case 'close':
      for (const fd of m.fds) files.close(fd);
      return null;
    case 'read': {
      const b = new Uint8Array(new SharedArrayBuffer(m.n));
      const n = files.read(m.fd, b);
      return Buffer.from(b.subarray(0, n)).toString('latin1');
    }
    case 'write':
      return files.write(m.fd, m.data);
    case 'fds':
      return files.openFds();
  }
}

parentPort!.on('message', (m: Op & { id: number }) => {
  try {
    parentPort!.postMessage({ id: m.id, ok: run(m) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, errno: e instanceof ServerError ? e.errno : String(e) });
  }
});
