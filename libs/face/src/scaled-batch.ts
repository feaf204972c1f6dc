import type { Tensor as TfTensor, Tensor4D as TfTensor4D } from '@tensorflow/tfjs-core';
import type { Tf } from './runtime';

/** Where a frame lands in a detector's input once shrunk and padded. */
export interface FrameGeometry {
  /** Frame size. */
  width: number;
  height: number;
  /** Frame pixels → network input pixels. */
  scale: number;
  /** The frame's extent inside the padded input, in input pixels. */
  scaledWidth: number;
  scaledHeight: number;
  paddedWidth: number;
  paddedHeight: number;
}

/**
 * The frame shrunk so its long side is `longSide` — the scale face-api's square input gives it — and
 * padded bottom/right only up to a multiple of `multiple`, where face-api pads every frame to a square.
 */
export function frameGeometry(height: number, width: number, longSide: number, multiple: number): FrameGeometry {
  const scale = longSide / Math.max(height, width);
  const scaledHeight = Math.max(1, Math.round(height * scale));
  const scaledWidth = Math.max(1, Math.round(width * scale));
  return {
    width,
    height,
    scale,
    scaledWidth,
    scaledHeight,
    paddedHeight: Math.ceil(scaledHeight / multiple) * multiple,
    paddedWidth: Math.ceil(scaledWidth / multiple) * multiple,
  };
}

/** [1, paddedHeight, paddedWidth, 3] float32 0–255, zero padding (as face-api's padToSquare, before normalisation). Call inside tf.tidy. */
export function scaledBatch(tf: Tf, input: TfTensor, g: FrameGeometry): TfTensor4D {
  const frame = tf.expandDims(tf.cast(input, 'float32'), 0) as TfTensor4D;
  const resized = g.scaledHeight === g.height && g.scaledWidth === g.width ? frame : tf.image.resizeBilinear(frame, [g.scaledHeight, g.scaledWidth], false, false);
  return tf.pad(resized, [
    [0, 0],
    [0, g.paddedHeight - g.scaledHeight],
    [0, g.paddedWidth - g.scaledWidth],
    [0, 0],
  ]) as TfTensor4D;
}
