import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

/** What the audit trail records about where a change came from, without threading it through every call. */
export interface RequestContext {
  readonly requestId?: string;
  readonly ip?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext {
  return storage.getStore() ?? {};
}

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * Runs each HTTP handler inside its request's context: the request id pino-http assigned (its
 * middleware has run by the time interceptors do) and the client address (Express's `req.ip`,
 * which honours `trust proxy` when a deployment sets it). Sockets set their own with
 * {@link runWithRequestContext}.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<IncomingMessage & { id?: unknown; ip?: string }>();
    const requestContext: RequestContext = { requestId: typeof req.id === 'string' ? req.id : undefined, ip: req.ip ?? req.socket?.remoteAddress ?? undefined };
    return new Observable((subscriber) => storage.run(requestContext, () => next.handle().subscribe(subscriber)));
  }
}
