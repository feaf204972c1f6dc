import { UseFilters, UsePipes } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AppErrorFilter, createValidationPipe, Public } from '@app/platform';

export class PingDto {
  /** The client's clock, echoed back so it can measure the round trip. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(8_640_000_000_000_000)
  clientTime?: number;
}

/**
 * Liveness over socket.io and the reference for how gateways handle failures: errors come back
 * as the ack `{ error: { code, message, status } }` and as an `error:app` event, like HTTP's shape.
 * Nest applies neither global filters nor global pipes to gateways, hence both decorators.
 */
@Public()
@UseFilters(AppErrorFilter)
@UsePipes(createValidationPipe())
@WebSocketGateway({ serveClient: false, cors: false })
export class PlatformGateway {
  @SubscribeMessage('platform:ping')
  ping(@MessageBody() body: PingDto): { serverTime: number; clientTime?: number } {
    return { serverTime: Date.now(), clientTime: body.clientTime };
  }
}
