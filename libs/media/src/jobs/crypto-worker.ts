import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';

/** Bytes read and encrypted per message. */
const CHUNK_BYTES = 1 << 20;
/** How many chunks the worker may be ahead of the reader (sent, not yet read): ~4 MB per file. */
const WINDOW_CHUNKS = 4;

/*
 * Plain JavaScript evaluated in the worker, so it runs the same under jest, swc-node and compiled
 * dist/ (no TypeScript loader needed in the thread). Blocking reads are fine there: the thread does
 * nothing else, and it answers credit messages between windows.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createCipheriv, createHash } = require('node:crypto');
const fs = require('node:fs');
const CHUNK = ${CHUNK_BYTES};
const jobs = new Map();
const owned = (b) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : Buffer.from(b));
function close(id) {
  const j = jobs.get(id);
  if (!j) return;
  jobs.delete(id);
  if (j.fd !== undefined) try { fs.closeSync(j.fd); } catch {}
}
function pump(id) {
  const j = jobs.get(id);
  if (!j) return;
  try {
    if (j.fd === undefined) {
      j.fd = fs.openSync(j.file, 'r');
      j.cipher = createCipheriv('aes-128-cbc', Buffer.from(j.key), Buffer.from(j.iv));
      j.buf = Buffer.allocUnsafeSlow(CHUNK);
    }
    while (j.credits > 0) {
      const n = fs.readSync(j.fd, j.buf, 0, CHUNK, null);
      if (n === 0) {
        const last = owned(j.cipher.final());
        close(id);
        parentPort.postMessage({ id, chunk: last.buffer, done: true }, [last.buffer]);
        return;
      }
      const out = owned(j.cipher.update(j.buf.subarray(0, n)));
      j.credits--;
      if (out.length) parentPort.postMessage({ id, chunk: out.buffer }, [out.buffer]);
    }
  } catch (e) {
    close(id);
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
}
function sha256(id, file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafeSlow(CHUNK);
    for (let n; (n = fs.readSync(fd, buf, 0, CHUNK, null)) > 0; ) hash.update(buf.subarray(0, n));
    parentPort.postMessage({ id, digest: hash.digest('hex') });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
parentPort.on('message', (m) => {
  if (m.op === 'encrypt') {
    jobs.set(m.id, { file: m.file, key: m.key, iv: m.iv, credits: m.credits });
    pump(m.id);
  } else if (m.op === 'credit') {
    const j = jobs.get(m.id);
    if (j) { j.credits += m.n; pump(m.id); }
  } else if (m.op === 'cancel') close(m.id);
  else if (m.op === 'sha256') sha256(m.id, m.file);
});
`;

interface WorkerReply {
  id: number;
  chunk?: ArrayBuffer;
  done?: boolean;
  digest?: string;
  error?: string;
}

/**
 * AES-128-CBC (HLS segment encryption) and SHA-256 of files on a worker thread. Node's crypto
 * calls are synchronous on whichever thread makes them; on the event loop they serialised
 * encryption, the blob store's hashing and the source hash on one core while ffmpeg left the
 * other mostly idle. Encrypted chunks are transferred (not copied) back; the worker stays at most
 * {@link WINDOW_CHUNKS} chunks ahead of the reader, so memory is bounded whatever the segment size.
 */
export class CryptoWorker {
  private readonly worker: Worker;
  private readonly handlers = new Map<number, (reply: WorkerReply) => void>();
  private nextId = 1;
  private failure?: Error;

  constructor() {
    // No inherited execArgv: under swc-node/jest the thread would load the TypeScript loader
    // (~0.3 s of CPU per job) for code that is plain JavaScript.
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    this.worker.on('message', (reply: WorkerReply) => this.handlers.get(reply.id)?.(reply));
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => this.failAll(new Error(`crypto worker exited (${code})`)));
  }

  /** The file as HLS AES-128 ciphertext (CBC, PKCS#7 padding), streamed. */
  encryptFile(file: string, key: Buffer, iv: Buffer): Readable {
    const id = this.nextId++;
    let owed = 0;
    let finished = false;
    const stream = new Readable({
      // One chunk: a push beyond it holds the credit back until the reader takes it.
      highWaterMark: CHUNK_BYTES,
      read: () => {
        // The reader drained what we held back for: let the worker run ahead again.
        if (owed > 0 && !finished) this.worker.postMessage({ op: 'credit', id, n: owed });
        owed = 0;
      },
      destroy: (err, cb) => {
        if (!finished) this.worker.postMessage({ op: 'cancel', id });
        finished = true;
        this.handlers.delete(id);
        cb(err);
      },
    });
    this.handlers.set(id, (reply) => {
      if (reply.error !== undefined) {
        finished = true;
        // A stream its reader already let go of (the worker closed or died under it) has nobody to
        // tell: an 'error' without a listener would take the whole process down with it.
        stream.destroy(stream.listenerCount('error') > 0 ? new Error(reply.error) : undefined);
        return;
      }
      const more = stream.push(Buffer.from(reply.chunk!));
      if (reply.done) {
        finished = true;
        this.handlers.delete(id);
        stream.push(null);
      } else if (more) this.worker.postMessage({ op: 'credit', id, n: 1 });
      else owed++;
    });
    if (this.failure) process.nextTick(() => stream.destroy(this.failure));
    else this.worker.postMessage({ op: 'encrypt', id, file, key, iv, credits: WINDOW_CHUNKS });
    return stream;
  }

  sha256File(file: string): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.handlers.set(id, (reply) => {
        this.handlers.delete(id);
        if (reply.digest !== undefined) resolve(reply.digest);
        else reject(new Error(reply.error ?? 'crypto worker failed'));
      });
      this.worker.postMessage({ op: 'sha256', id, file });
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('crypto worker closed');
    await this.worker.terminate();
  }

  private failAll(e: Error): void {
    this.failure ??= e;
    for (const handler of [...this.handlers.values()]) handler({ id: 0, error: e.message });
    this.handlers.clear();
  }
}
