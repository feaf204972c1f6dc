import { Logger, OnModuleDestroy, UseFilters, UsePipes } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { SocketAuthenticator } from '@app/identity';
import { JobUpdate, MediaEvents } from '@app/media';
import { AppErrorFilter, createValidationPipe, Public, SOCKET_ERROR_EVENT, toAppError } from '@app/platform';

export const MEDIA_NAMESPACE = '/media';
export const JOB_EVENT = 'media:job';
const ADMINS = 'admins';

/**
 * Packaging progress for the console: administrators connect to `/media` with
 * `io(url + '/media', { auth: { token } })` and receive `media:job` updates. Anyone else gets the
 * error shape on `error:app` and is disconnected.
 */
@Public()
@UseFilters(AppErrorFilter)
@UsePipes(createValidationPipe())
@WebSocketGateway({ namespace: MEDIA_NAMESPACE, serveClient: false, cors: false })
export class MediaGateway implements OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger('MediaGateway');
  @WebSocketServer() private readonly nsp!: Namespace;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly sockets: SocketAuthenticator,
    events: MediaEvents,
  ) {
    this.unsubscribe = events.onJob((u) => this.broadcast(u));
  }

  async handleConnection(client: Socket): Promise<void> {
    try {
      await this.sockets.authenticateSocket(client, ['admin']);
      await client.join(ADMINS);
    } catch (e) {
      const error = toAppError(e);
      client.emit(SOCKET_ERROR_EVENT, { ...error.toBody(), status: error.status });
      client.disconnect(true);
    }
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  private broadcast(update: JobUpdate): void {
    try {
      this.nsp?.to(ADMINS).emit(JOB_EVENT, update);
    } catch (e) {
      this.logger.warn(`进度推送失败 (progress push failed): ${(e as Error).message}`);
    }
  }
}
