// The module that ui/scripts/emoji-data-plugin.ts makes at build time.
declare module 'virtual:emoji-data' {
  const data: import('./emoji-data.js').EmojiData
  export default data
}
