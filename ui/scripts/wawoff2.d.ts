// wawoff2 (Google's WOFF2 converter in WebAssembly) ships no types.
declare module 'wawoff2' {
  const wawoff2: {
    /** A WOFF2 file as the TrueType or OpenType file it packs. */
    decompress: (woff2: Uint8Array) => Promise<Uint8Array>
    compress: (sfnt: Uint8Array) => Promise<Uint8Array>
  }
  export default wawoff2
}
