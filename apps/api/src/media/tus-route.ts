import { All, OnModuleDestroy, OnModuleInit, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TusEndpoint } from './tus-endpoint';

/** A tus route's service: owns one endpoint, started and stopped with its module, serving the route's requests. */
export abstract class TusRouteService implements OnModuleInit, OnModuleDestroy {
  protected abstract readonly endpoint: TusEndpoint;

  onModuleInit(): void {
    this.endpoint.start();
  }

  onModuleDestroy(): void {
    this.endpoint.stop();
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.endpoint.handle(req, res);
  }
}

/**
 * A tus route (POST create, HEAD offset, PATCH bytes, DELETE) at the subclass's @Controller path:
 * every method, at the root and below, goes to its service. The subclass adds the guards' decorators.
 */
export abstract class TusRouteController {
  constructor(private readonly tus: TusRouteService) {}

  @All()
  root(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }

  @All('*path')
  upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }
}
