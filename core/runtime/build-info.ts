// This build's version. A stand-in: h/package replaces this file with the one that reads the packager's build values.
export const VERSION = '0.1.0'
