// A QR code as one SVG path of dark modules (one unit per module, a 4-module quiet zone around).
// The encoder (qrcode) loads only when a code is shown, to keep it out of the first load.
export interface QrDrawing {
  /** Width and height in modules, quiet zone included: the SVG viewBox. */
  size: number
  path: string
}

const QUIET_ZONE = 4

export async function qrDrawing (text: string): Promise<QrDrawing> {
  const { create } = await import('qrcode')
  const { modules } = create(text, { errorCorrectionLevel: 'M' })
  let path = ''
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col) !== 0) path += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, path }
}
