import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { Error as MongooseError } from 'mongoose';
import { AppError } from './app-error';
import { toAppError } from './to-app-error';

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const e = new AppError('X_Y', 422, '消息', { a: 1 });
    expect(toAppError(e)).toBe(e);
  });

  it('tells an unknown route from a missing resource', () => {
    expect(toAppError(new NotFoundException('Cannot GET /api/nope')).code).toBe('ROUTE_NOT_FOUND');
    expect(toAppError(new NotFoundException()).code).toBe('NOT_FOUND');
  });

  it.each([
    [new BadRequestException(), 'VALIDATION_FAILED', 400],
    [new PayloadTooLargeException(), 'BODY_TOO_LARGE', 413],
    [new ThrottlerException(), 'TOO_MANY_REQUESTS', 429],
    [new HttpException('teapot', 418), 'HTTP_418', 418],
    [new HttpException('boom', 502), 'INTERNAL_ERROR', 500],
  ])('maps %p to %s', (input, code, status) => {
    const e = toAppError(input);
    expect([e.code, e.status]).toEqual([code, status]);
  });

  it.each([
    ['entity.parse.failed', 'MALFORMED_JSON', 400],
    ['entity.too.large', 'BODY_TOO_LARGE', 413],
    ['charset.unsupported', 'UNSUPPORTED_MEDIA_TYPE', 415],
  ])('maps body-parser %s', (type, code, status) => {
    const e = toAppError(Object.assign(new Error('x'), { type }));
    expect([e.code, e.status]).toEqual([code, status]);
  });

  it('maps a duplicate key to 409 naming the fields but not their values', () => {
    const dup = Object.assign(new Error('E11000'), {
      name: 'MongoServerError',
      code: 11000,
      keyPattern: { programId: 1, idHash: 1 },
      keyValue: { programId: 'p', idHash: 'secret' },
    });
    const e = toAppError(dup);
    expect(e.status).toBe(409);
    expect(e.toBody()).toEqual({ code: 'DUPLICATE', message: '记录已存在', details: { fields: ['programId', 'idHash'] } });
    expect(JSON.stringify(e.toBody())).not.toContain('secret');
  });

  it('maps mongoose cast and validation errors to 400', () => {
    const cast = new MongooseError.CastError('ObjectId', 'zzz', '_id');
    expect(toAppError(cast).toBody()).toMatchObject({ code: 'INVALID_ID', details: { field: '_id' } });
    const invalid = new MongooseError.ValidationError();
    invalid.addError('name', new MongooseError.ValidatorError({ path: 'name', type: 'required', message: 'x' }));
    expect(toAppError(invalid).toBody()).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'name', reason: 'required' }] } });
  });

  it('hides anything unexpected behind INTERNAL_ERROR', () => {
    const e = toAppError(new TypeError('cannot read x of undefined at /srv/secret.ts:12'));
    expect(e.toBody()).toEqual({ code: 'INTERNAL_ERROR', message: '服务器内部错误，请稍后再试' });
    expect(toAppError('a string').code).toBe('INTERNAL_ERROR');
    expect(toAppError(null).code).toBe('INTERNAL_ERROR');
  });

  it('keeps the code, status, message and headers of a library error shaped like AppError', () => {
    class BusyError extends Error {
      readonly code = 'FACE_ENGINE_BUSY';
      readonly status = 503;
      readonly details = { retryAfterSeconds: 3 };
      readonly headers = { 'Retry-After': '3' };
    }
    const e = toAppError(new BusyError('人脸核验服务繁忙，请 3 秒后重试。'));
    expect([e.code, e.status, e.message, e.headers]).toEqual(['FACE_ENGINE_BUSY', 503, '人脸核验服务繁忙，请 3 秒后重试。', { 'Retry-After': '3' }]);
    expect(e.toBody().details).toEqual({ retryAfterSeconds: 3 });
  });

  it('does not pass a library\'s internal 500 text through, nor trust lower-case or odd codes', () => {
    const internal = Object.assign(new Error('worker crashed at /srv/x.ts:1'), { code: 'FACE_ENGINE_FAILED', status: 500 });
    expect(toAppError(internal).toBody()).toEqual({ code: 'FACE_ENGINE_FAILED', message: '服务器内部错误，请稍后再试' });
    const errno = Object.assign(new Error('ENOENT'), { code: 'ENOENT', errno: -2, syscall: 'open', status: 404 });
    expect(toAppError(errno).code).toBe('INTERNAL_ERROR');
    const lower = Object.assign(new Error('x'), { code: 'bad_code', status: 400 });
    expect(toAppError(lower).code).toBe('INTERNAL_ERROR');
  });
});
