// Protobuf frames over a stream, as @libp2p/utils' pbStream reads and writes them (the wire is the
// same), except that each frame read is reported to the stream's ReadGate (read-gate.ts): what
// a request/answer handler has read leaves its peer's share of unread bytes, what it has not read
// stays counted, pauses the sender, and ends the stream when it sits untouched.
import type { Stream } from '@libp2p/interface'
import { lpStream, type ProtobufStream } from '@libp2p/utils'
import { frameOptions, prefixBytes } from './length-prefix.js'
import { readGateOf } from './read-gate.js'

/** pbStream(stream, frameOptions(maxFrameBytes)), with what it reads reported to the stream's gate (if it has one). */
export function framedStream (stream: Stream, maxFrameBytes: number): ProtobufStream<Stream> {
  const gate = readGateOf(stream)
  const lp = lpStream(stream, frameOptions(maxFrameBytes))
  gate?.expectFrames(maxFrameBytes + prefixBytes(maxFrameBytes))
  const framed: ProtobufStream<Stream> = {
    read: async (proto, options) => {
      const frame = await lp.read(options)
      gate?.consumed(frame.byteLength + prefixBytes(frame.byteLength))
      return proto.decode(frame, options)
    },
    write: async (message, proto, options) => { await lp.write(proto.encode(message), options) },
    writeV: async (messages, proto, options) => { await lp.writeV(messages.map(message => proto.encode(message)), options) },
    pb: proto => ({
      read: async options => await framed.read(proto, options),
      write: async (message, options) => { await framed.write(message, proto, options) },
      writeV: async (messages, options) => { await framed.writeV(messages, proto, options) },
      unwrap: () => framed
    }),
    unwrap: () => lp.unwrap()
  }
  return framed
}
