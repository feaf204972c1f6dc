/** A face-descriptor distance as users read it: the number alone does not say which way is better. */
export function faceDistanceText(distance: number, digits = 2): string {
  return `人脸差异度 ${distance.toFixed(digits)}（越小越相似）`;
}
