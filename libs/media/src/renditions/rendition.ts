import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import type { WrappedKey } from '../hls/key-wrap';

/** One packaged, encrypted HLS rendition of a lesson's video. A re-upload makes a new one. */
export interface Rendition {
  id: string;
  lessonId: string;
  /** Blob-store prefix holding index.m3u8 and the segments. */
  prefix: string;
  wrappedKey: WrappedKey;
  durationSeconds: number;
  segmentCount: number;
  mode: 'remux' | 'transcode';
  /** SHA-256 of the uploaded source file. */
  sourceSha256: string;
  sourceBytes: number;
  createdAt: Date;
}

@Schema({ collection: 'media_renditions', timestamps: { createdAt: true, updatedAt: false } })
export class RenditionDoc {
  @Prop({ required: true, index: true }) lessonId!: string;
  @Prop({ required: true }) prefix!: string;
  @Prop(raw({ _id: false, iv: String, tag: String, data: String })) wrappedKey!: WrappedKey;
  @Prop({ required: true }) durationSeconds!: number;
  @Prop({ required: true }) segmentCount!: number;
  @Prop({ required: true }) mode!: string;
  @Prop({ required: true }) sourceSha256!: string;
  @Prop({ required: true }) sourceBytes!: number;
  createdAt!: Date;
}

export const RenditionSchema = SchemaFactory.createForClass(RenditionDoc);
type Lean = RenditionDoc & { _id: Types.ObjectId };

@Injectable()
export class RenditionRepository {
  constructor(@InjectModel(RenditionDoc.name) private readonly model: Model<RenditionDoc>) {}

  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async insert(r: Rendition): Promise<void> {
    const { id, createdAt: _, ...rest } = r;
    await this.model.create({ _id: new Types.ObjectId(id), ...rest });
  }

  async findById(id: string): Promise<Rendition | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const d = await this.model.findById(id).lean<Lean>();
    if (!d) return undefined;
    return {
      id: d._id.toHexString(),
      lessonId: d.lessonId,
      prefix: d.prefix,
      wrappedKey: d.wrappedKey,
      durationSeconds: d.durationSeconds,
      segmentCount: d.segmentCount,
      mode: d.mode as Rendition['mode'],
      sourceSha256: d.sourceSha256,
      sourceBytes: d.sourceBytes,
      createdAt: d.createdAt,
    };
  }

  /** Renditions of the lesson other than the one kept (replaced by a newer upload). */
  async listOthers(lessonId: string, keepId: string): Promise<{ id: string; prefix: string }[]> {
    const docs = await this.model.find({ lessonId, _id: { $ne: new Types.ObjectId(keepId) } }).lean<Lean[]>();
    return docs.map((d) => ({ id: d._id.toHexString(), prefix: d.prefix }));
  }

  async delete(id: string): Promise<void> {
    await this.model.deleteOne({ _id: new Types.ObjectId(id) });
  }
}
