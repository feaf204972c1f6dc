import { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { BlobHashMismatchError, BlobNotFoundError, BlobRetainedError } from './blob-store';
import { S3BlobStore } from './s3-blob-store';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * A loopback HTTP endpoint that records what the real SDK sends and answers like S3 would. No S3
 * is reachable here, so this checks our request building (keys, prefix, checksum, metadata,
 * ranges, list/delete paging), not S3 itself.
 */
function fakeS3(answer: (req: Seen, res: ServerResponse) => void): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const body = Buffer.concat(await req.toArray());
    const s = { method: req.method!, url: req.url!, headers: req.headers, body };
    seen.push(s);
    answer(s, res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen })),
  );
}

function client(url: string): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

describe('S3BlobStore request building (loopback fake)', () => {
  let spool: string;
  beforeEach(async () => (spool = await fs.mkdtemp(path.join(tmpdir(), 'spool-'))));
  afterEach(() => fs.rm(spool, { recursive: true, force: true }));

  it('PUTs once with the SHA-256 as checksum and metadata under the prefix, and empties the spool', async () => {
    const fake = await fakeS3((_req, res) => res.writeHead(200, { etag: '"x"' }).end());
    try {
      const store = new S3BlobStore(client(fake.url), { bucket: 'media', prefix: 'prod/', spoolDir: spool });
      const bytes = Buffer.alloc(200_000, 7);
      const info = await store.put('hls/l1/seg-0.ts', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), {
        contentType: 'video/mp2t',
      });
      const hex = createHash('sha256').update(bytes).digest('hex');
      expect(info).toEqual({ key: 'hls/l1/seg-0.ts', size: bytes.length, sha256: hex, contentType: 'video/mp2t' });
      const put = fake.seen.filter((s) => s.method === 'PUT');
      expect(put).toHaveLength(1);
      expect(put[0].url.split('?')[0]).toBe('/media/prod/hls/l1/seg-0.ts');
      expect(put[0].headers['x-amz-checksum-sha256']).toBe(Buffer.from(hex, 'hex').toString('base64'));
      expect(put[0].headers['x-amz-meta-sha256']).toBe(hex);
      expect(put[0].headers['content-type']).toBe('video/mp2t');
      expect(put[0].body.equals(bytes)).toBe(true);
      expect(await fs.readdir(spool)).toEqual([]);
    } finally {
      fake.server.close();
    }
  });

  it('reads metadata back with HEAD, asks for byte ranges, and maps 404 to absent', async () => {
    const fake = await fakeS3((req, res) => {
      if (req.url.includes('missing')) return res.writeHead(404).end();
      if (req.method === 'HEAD') return res.writeHead(200, { 'content-length': '5', 'content-type': 'text/plain', 'x-amz-meta-sha256': 'ab' }).end();
      res.writeHead(206, { 'content-length': '3', 'content-range': 'bytes 1-3/5' }).end('ell');
    });
    try {
      const store = new S3BlobStore(client(fake.url), { bucket: 'b', prefix: '', spoolDir: spool });
      expect(await store.stat('k')).toEqual({ key: 'k', size: 5, sha256: 'ab', contentType: 'text/plain' });
      expect(await store.stat('missing')).toBeUndefined();
      const body = Buffer.concat(await (await store.read('k', { start: 1, end: 3 })).toArray()).toString();
      expect(body).toBe('ell');
      expect(fake.seen.find((s) => s.method === 'GET')!.headers.range).toBe('bytes=1-3');
      await expect(store.read('missing')).rejects.toBeInstanceOf(BlobNotFoundError);
    } finally {
      fake.server.close();
    }
  });

  it('putIfAbsent is a conditional PUT (If-None-Match: *); 412 means the key is taken, and the stored record is read back', async () => {
    const stored = new Map<string, string>();
    const fake = await fakeS3((req, res) => {
      const key = req.url.split('?')[0];
      if (req.method === 'HEAD') {
        const sha = stored.get(key);
        return sha ? res.writeHead(200, { 'content-length': '3', 'content-type': 'image/jpeg', 'x-amz-meta-sha256': sha }).end() : res.writeHead(404).end();
      }
      if (stored.has(key) && req.headers['if-none-match'] === '*') {
        return res.writeHead(412, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><Error><Code>PreconditionFailed</Code></Error>');
      }
      stored.set(key, String(req.headers['x-amz-meta-sha256']));
      res.writeHead(200, { etag: '"x"' }).end();
    });
    try {
      const store = new S3BlobStore(client(fake.url), { bucket: 'b', prefix: 'ev', spoolDir: spool });
      const hex = (t: string) => createHash('sha256').update(t).digest('hex');
      const first = await store.putIfAbsent('cap/1.jpg', Buffer.from('one'), { contentType: 'image/jpeg', expectSha256: hex('one') });
      expect(first).toEqual({ outcome: 'created', stored: { key: 'cap/1.jpg', size: 3, sha256: hex('one'), contentType: 'image/jpeg' }, offered: { size: 3, sha256: hex('one') } });
      const second = await store.putIfAbsent('cap/1.jpg', Readable.from([Buffer.from('two')]));
      expect(second).toEqual({ outcome: 'exists', stored: first.stored, offered: { size: 3, sha256: hex('two') } });
      // The second found the key with a HEAD and uploaded nothing.
      const puts = fake.seen.filter((s) => s.method === 'PUT');
      expect(puts).toHaveLength(1);
      expect(puts[0].headers['if-none-match']).toBe('*');
      expect(puts[0].url.split('?')[0]).toBe('/b/ev/cap/1.jpg');
      // A declared hash that the bytes do not have: refused before anything is sent.
      await expect(store.putIfAbsent('cap/2.jpg', Buffer.from('x'), { expectSha256: hex('y') })).rejects.toBeInstanceOf(BlobHashMismatchError);
      expect(fake.seen.filter((s) => s.method === 'PUT')).toHaveLength(1);
      expect(await fs.readdir(spool)).toEqual([]);
    } finally {
      fake.server.close();
    }
  });

  it('putIfAbsent losing a race (HEAD absent, PUT 412) reports the winner\'s object', async () => {
    let heads = 0;
    const fake = await fakeS3((req, res) => {
      if (req.method === 'HEAD') {
        heads++;
        return heads === 1 ? res.writeHead(404).end() : res.writeHead(200, { 'content-length': '6', 'content-type': 'image/jpeg', 'x-amz-meta-sha256': 'w1' }).end();
      }
      res.writeHead(412, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><Error><Code>PreconditionFailed</Code></Error>');
    });
    // The SDK warns about any failed streaming request; a lost race is expected here.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const store = new S3BlobStore(client(fake.url), { bucket: 'b', prefix: '', spoolDir: spool });
      const r = await store.putIfAbsent('cap/9.jpg', Buffer.from('loser'));
      expect(r.outcome).toBe('exists');
      expect(r.stored).toEqual({ key: 'cap/9.jpg', size: 6, sha256: 'w1', contentType: 'image/jpeg' });
      expect(fake.seen.map((s) => s.method)).toEqual(['HEAD', 'PUT', 'HEAD']);
      expect(await fs.readdir(spool)).toEqual([]);
    } finally {
      warn.mockRestore();
      fake.server.close();
    }
  });

  it('a plain put sends no condition (lesson media are replaced on repackaging)', async () => {
    const fake = await fakeS3((_req, res) => res.writeHead(200, { etag: '"x"' }).end());
    try {
      const store = new S3BlobStore(client(fake.url), { bucket: 'b', prefix: '', spoolDir: spool });
      await store.put('hls/a.ts', Buffer.from('a'));
      const put = fake.seen.find((s) => s.method === 'PUT')!;
      expect(put.headers['if-none-match']).toBeUndefined();
      expect(put.headers['x-amz-object-lock-mode']).toBeUndefined();
    } finally {
      fake.server.close();
    }
  });

  it('deletes a prefix page by page', async () => {
    let listCalls = 0;
    const fake = await fakeS3((req, res) => {
      if (req.method === 'GET' && req.url.includes('list-type=2')) {
        listCalls++;
        const keys = listCalls === 1 ? ['p/hls/1/a', 'p/hls/1/b'] : ['p/hls/1/c'];
        const more = listCalls === 1;
        res.writeHead(200, { 'content-type': 'application/xml' }).end(
          `<?xml version="1.0"?><ListBucketResult><Name>b</Name><IsTruncated>${more}</IsTruncated>` +
            (more ? '<NextContinuationToken>t2</NextContinuationToken>' : '') +
            keys.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('') +
            '</ListBucketResult>',
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><DeleteResult></DeleteResult>');
    });
    try {
      const store = new S3BlobStore(client(fake.url), { bucket: 'b', prefix: 'p', spoolDir: spool });
      expect(await store.deletePrefix('hls/1')).toBe(3);
      const lists = fake.seen.filter((s) => s.url.includes('list-type=2'));
      expect(lists[0].url).toContain('prefix=p%2Fhls%2F1%2F');
      expect(lists[1].url).toContain('continuation-token=t2');
      const deletes = fake.seen.filter((s) => s.method === 'POST');
      expect(deletes).toHaveLength(2);
      expect(deletes[0].body.toString()).toContain('<Key>p/hls/1/a</Key>');
    } finally {
      fake.server.close();
    }
  });

  describe('Object Lock (write-once evidence)', () => {
    it('every evidence PUT carries COMPLIANCE mode and its retain-until date; stat reads the date back', async () => {
      const until = new Date('2031-03-10T00:00:00.000Z');
      let put: Seen | undefined;
      const fake = await fakeS3((req, res) => {
        if (req.method === 'HEAD') {
          if (!put) return res.writeHead(404).end();
          return res
            .writeHead(200, { 'content-length': '3', 'content-type': 'video/mp4', 'x-amz-meta-sha256': String(put.headers['x-amz-meta-sha256']), 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': until.toISOString() })
            .end();
        }
        if (req.method === 'PUT') put = req;
        res.writeHead(200, { etag: '"x"' }).end();
      });
      try {
        const store = new S3BlobStore(client(fake.url), { bucket: 'ev', prefix: '', spoolDir: spool });
        const r = await store.putIfAbsent('recordings/s1/a.mp4', Buffer.from('abc'), { contentType: 'video/mp4', retainUntil: until });
        expect(r.stored?.retainUntil).toEqual(until);
        expect(put!.headers['x-amz-object-lock-mode']).toBe('COMPLIANCE');
        expect(new Date(String(put!.headers['x-amz-object-lock-retain-until-date']))).toEqual(until);
        expect(put!.headers['if-none-match']).toBe('*');
        expect((await store.stat('recordings/s1/a.mp4'))?.retainUntil).toEqual(until);
      } finally {
        fake.server.close();
      }
    });

    it('refuses delete and overwrite of an object retained until a later date, without sending either', async () => {
      const fake = await fakeS3((req, res) => {
        if (req.method === 'HEAD') return res.writeHead(200, { 'content-length': '3', 'x-amz-meta-sha256': 'ab', 'x-amz-object-lock-retain-until-date': new Date(Date.now() + 86_400_000).toISOString() }).end();
        res.writeHead(200).end();
      });
      try {
        const store = new S3BlobStore(client(fake.url), { bucket: 'ev', prefix: '', spoolDir: spool });
        await expect(store.delete('recordings/s1/a.mp4')).rejects.toBeInstanceOf(BlobRetainedError);
        await expect(store.put('recordings/s1/a.mp4', Buffer.from('x'))).rejects.toBeInstanceOf(BlobRetainedError);
        expect(fake.seen.map((s) => s.method)).toEqual(['HEAD', 'HEAD']);
      } finally {
        fake.server.close();
      }
    });

    it('the start-up check passes only for a bucket whose Object Lock is Enabled', async () => {
      const answers = [
        (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>'),
        (res: ServerResponse) => res.writeHead(404, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><Error><Code>ObjectLockConfigurationNotFoundError</Code></Error>'),
        (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><ObjectLockConfiguration></ObjectLockConfiguration>'),
      ];
      let n = 0;
      const fake = await fakeS3((_req, res) => answers[n++](res));
      try {
        const store = new S3BlobStore(client(fake.url), { bucket: 'ev', prefix: '', spoolDir: spool });
        await expect(store.assertObjectLock()).resolves.toBeUndefined();
        await expect(store.assertObjectLock()).rejects.toThrow(/no Object Lock/);
        await expect(store.assertObjectLock()).rejects.toThrow(/no Object Lock/);
        expect(fake.seen.every((s) => s.method === 'GET' && s.url.includes('object-lock'))).toBe(true);
      } finally {
        fake.server.close();
      }
    });
  });
});
