import { CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException, Type, mixin } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';

/**
 * Multer stops reading at the size limit and Nest turns that into a bare 413; uploads of roster
 * files and face photos answer with their own code and a zh-CN message saying what to do.
 * Listed before the FileInterceptor so it wraps it.
 */
export function UploadTooLargeAs(toError: () => Error): Type<NestInterceptor> {
  @Injectable()
  class UploadTooLarge implements NestInterceptor {
    intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
      return next.handle().pipe(catchError((e: unknown) => throwError(() => (e instanceof PayloadTooLargeException ? toError() : e))));
    }
  }
  return mixin(UploadTooLarge);
}
