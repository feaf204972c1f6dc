/**
 * Masks shown in every list and export unless the caller's role may see the full value
 * (PIPL minimum necessary). Masks keep the length, so the shape stays recognisable.
 */

/** 230102199001011234 → 2301**********1234 (province + city, and the last four). */
export function maskIdNumber(id: string): string {
  const chars = [...id];
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
}

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  const chars = [...phone];
  if (chars.length <= 7) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: the family name is enough to recognise someone in a list you already may see. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(chars.length - 1);
}
