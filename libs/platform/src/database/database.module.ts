import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppConfig } from '../config/env';
import { AppConfigToken } from '../config/config.module';
import { DatabaseRuntime, startDatabaseRuntime } from './database-runtime';

@Global()
@Module({})
class DatabaseRuntimeModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseRuntimeModule,
      providers: [{ provide: DatabaseRuntime, inject: [AppConfigToken], useFactory: (c: AppConfig) => startDatabaseRuntime(c) }],
      exports: [DatabaseRuntime],
    };
  }
}

/** Checks the server can do transactions, and closes the connection before the embedded server stops. */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(DatabaseRuntime) private readonly runtime: DatabaseRuntime,
  ) {}

  async onModuleInit(): Promise<void> {
    const hello = await this.connection.db!.admin().command({ hello: 1 });
    if (!hello.setName) {
      this.logger.warn('MongoDB 不是副本集：事务不可用，涉及事务的写入将失败 (not a replica set: transactions are unavailable)');
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.connection.close();
    await this.runtime.stop();
  }
}

@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        DatabaseRuntimeModule.forRoot(),
        MongooseModule.forRootAsync({
          inject: [DatabaseRuntime],
          useFactory: (rt: DatabaseRuntime) => ({
            uri: rt.uri,
            // Fail fast at boot instead of buffering queries for a database that is not there.
            serverSelectionTimeoutMS: 10_000,
            bufferCommands: false,
            autoIndex: true,
          }),
        }),
      ],
      providers: [DatabaseLifecycle],
    };
  }
}
