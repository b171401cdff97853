// How the app compares what people type with names and words: lower case, without accents, so that
// "chloe" finds "Chloé" and "coeur" finds "Cœur" (the emoji picker, mentions, the jump-to box).

/** Lower case, without accents: "Cœur" and "coeur" are one word. */
export function folded (text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/’/g, '\'').toLowerCase()
}
