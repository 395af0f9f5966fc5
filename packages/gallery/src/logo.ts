/**
 * A letter-mark logo as a `data:image/svg+xml` URL: one to three letters on a rounded square.
 * Only letters, digits and a hex colour are accepted, so the SVG can carry nothing but the mark.
 *
 * @example letterMark('Sl', '#4a154b') // 'data:image/svg+xml,%3Csvg…'
 */
export function letterMark(letters: string, color: string): string {
  if (!/^[A-Za-z0-9]{1,3}$/.test(letters))
    throw new Error(`letterMark: '${letters}' is not 1 to 3 letters or digits.`);
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) throw new Error(`letterMark: '${color}' is not a #rrggbb colour.`);
  const size = letters.length === 1 ? 34 : letters.length === 2 ? 28 : 22;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="12" fill="${color}"/>` +
    `<text x="32" y="33" dominant-baseline="middle" text-anchor="middle" font-family="Segoe UI, Arial, sans-serif" ` +
    `font-size="${size}" font-weight="600" fill="#ffffff">${letters}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
