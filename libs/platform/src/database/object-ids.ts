import { isValidObjectId, Types } from 'mongoose';

/* The three conversions every repository needs between API ids (hex strings) and stored ObjectIds. */

export const oid = (id: string) => new Types.ObjectId(id);
export const hex = (id: Types.ObjectId | undefined | null) => id?.toHexString();
/** Ids come from URLs: one that is not an ObjectId names nothing, rather than a 500. */
export const isId = (id: unknown): id is string => typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id) && isValidObjectId(id);
