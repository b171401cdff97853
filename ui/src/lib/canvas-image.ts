// A canvas encoded as a compact image: WebP, or JPEG where the browser has no WebP encoder.

export async function encodeCanvas (canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  const webp = await toBlob(canvas, 'image/webp', quality)
  // A browser without a WebP encoder answers PNG: use JPEG there.
  return webp?.type === 'image/webp' ? webp : (await toBlob(canvas, 'image/jpeg', quality))!
}

async function toBlob (canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob | null> {
  return await new Promise(resolve => { canvas.toBlob(resolve, type, quality) })
}
