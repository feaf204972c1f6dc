import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Socket } from 'socket.io';
import { AppError } from './app-error';
import { toAppError } from './to-app-error';

/** Socket event on which clients receive failures; the payload is the same ErrorBody as HTTP plus `status`. */
export const SOCKET_ERROR_EVENT = 'error:app';

/** Writes the one error shape; used by the filter and by middleware that runs before Nest's router. */
export function writeHttpError(res: Response, error: AppError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json(error.toBody());
}

/**
 * Every failure leaves in the one shape `{ code, message, details? }`, over HTTP and socket.io,
 * never with a stack trace. Global for HTTP; gateways add it with `@UseFilters(AppErrorFilter)`
 * because Nest does not apply global filters to websocket handlers.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toAppError(exception);
    if (host.getType() === 'ws') this.toSocket(error, exception, host);
    else if (host.getType() === 'http') this.toHttp(error, exception, host);
  }

  private toHttp(error: AppError, exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    this.logIfServerFault(error, exception, `${req.method} ${req.originalUrl ?? req.url}`);
    writeHttpError(res, error);
  }

  private toSocket(error: AppError, exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    this.logIfServerFault(error, exception, `ws ${ws.getPattern()}`);
    const body = { ...error.toBody(), status: error.status };
    // When the client asked for an acknowledgement, the failure is the ack; it is also an event.
    const ack = host.getArgs().find((a) => typeof a === 'function') as ((b: unknown) => void) | undefined;
    if (ack) ack({ error: body });
    ws.getClient<Socket>().emit(SOCKET_ERROR_EVENT, body);
  }

  private logIfServerFault(error: AppError, exception: unknown, where: string): void {
    if (error.status >= 500) this.logger.error({ err: exception, where }, `未处理的异常 (${where})`);
  }
}
