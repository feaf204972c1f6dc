import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions } from 'socket.io';

/**
 * socket.io's own limit on one message (1 MB by default) would cut a webcam capture off with a
 * bare disconnect; allow the configured capture size plus the envelope, so the study gateway can
 * answer an oversized one with a proper error instead.
 */
export class PlatformSocketAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly maxMessageBytes: number,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    return super.createIOServer(port, { ...options, maxHttpBufferSize: this.maxMessageBytes });
  }
}
