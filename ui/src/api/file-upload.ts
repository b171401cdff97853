// A file's raw bytes posted to the node with upload progress. fetch() reports no upload progress,
// so this one request uses XMLHttpRequest; everything else goes through ApiClient's fetch.
import { FILE_UPLOAD_TYPE } from '../../../core/api/paths.js'
import { NODE_NOT_RUNNING } from './node-link.svelte.js'

export interface UploadProgress {
  /** Bytes sent so far, and of how many. */
  loaded: number
  total: number
}

/** An upload under way: its answer, and how to stop it. */
export interface Upload<T> {
  done: Promise<T>
  abort: () => void
}

export interface UploadRequest {
  url: string
  token: string
  body: Blob
  onProgress: (progress: UploadProgress) => void
  signal: AbortSignal
}

/** The node's answer, whatever its status: the caller reads it. */
export interface UploadAnswer {
  status: number
  text: string
}

export class UploadAbortedError extends Error {
  override name = 'UploadAbortedError'
  constructor () { super('the upload was cancelled') }
}

export async function uploadFile ({ url, token, body, onProgress, signal }: UploadRequest): Promise<UploadAnswer> {
  return await new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new UploadAbortedError())
      return
    }
    const request = new XMLHttpRequest()
    request.open('POST', url)
    request.setRequestHeader('authorization', `Bearer ${token}`)
    request.setRequestHeader('content-type', FILE_UPLOAD_TYPE)
    request.upload.onprogress = (event) => { onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : body.size }) }
    request.onload = () => { resolve({ status: request.status, text: request.responseText }) }
    request.onerror = () => { reject(new Error(NODE_NOT_RUNNING)) }
    request.onabort = () => { reject(new UploadAbortedError()) }
    signal.addEventListener('abort', () => { request.abort() }, { once: true })
    request.send(body)
  })
}
