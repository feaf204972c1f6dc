import { Module } from '@nestjs/common';
import { PlatformGateway } from './platform.gateway';

@Module({ providers: [PlatformGateway] })
export class RealtimeModule {}
