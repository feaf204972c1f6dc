import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'platform:isPublic';

/**
 * Marks a route or controller as open to anonymous callers. Everything else requires a login:
 * the identity context's global guard reads this, so forgetting it fails closed.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
