// The part of NodeApi about files (FileApi, core/api/node-api.ts): staging a file to send, an
// attachment's state and its checked plaintext, cancelling and retrying a fetch, the store's usage.
import type { FileApi } from '../api/node-api.js'
import type { FileService } from '../files/file-service.js'

export function filesApi (service: FileService): FileApi {
  return {
    stageFile: async upload => await service.stage(upload),
    dropStagedFile: async id => { await service.dropStaged(id) },
    attachment: async id => service.attachment(id),
    attachmentContent: async id => await service.content(id),
    cancelAttachment: async id => await service.cancel(id),
    retryAttachment: async id => await service.retry(id),
    filesUsage: async () => service.usage()
  }
}
