// The routes of files and images (issue 16, docs/files.md): a file staged by uploading its bytes,
// then named in a send request; an attachment's state, its content as a download (or an image
// inline), a single-use download link for the browser, cancel and retry; the profile's usage.
import { CausetteError } from '../errors.js'
import { attachmentResponse, nonEmptyBody } from './file-content.js'
import { ticketsOf, TICKET_PATTERN } from './download-tickets.js'
import { API_PREFIX, DOWNLOADS_PATH, FILE_UPLOAD_TYPE, FILES_PATH } from './paths.js'
import { AttachmentContentQuery, FileUploadQuery } from './query-schemas.js'
import { defineRoute, type ApiRoute } from './route.js'
import { AttachmentAction, AttachmentView, DownloadTicket, FilesUsage, StagedFileView } from './schema.js'

const param = (c: { req: { param: (name: string) => string | undefined } }, name: string): string => c.req.param(name)!
const attachmentJson = (description: string) => ({ kind: 'json' as const, status: 200 as const, schema: AttachmentView, description })
const DOWNLOAD_DESCRIPTION = 'The plaintext, checked as it streams: `Content-Disposition: attachment`, `application/octet-stream`, `nosniff`, a sandbox CSP (inline: the image type, for JPEG, PNG, WebP and GIF only)'

export const fileRoutes: ApiRoute[] = [
  defineRoute({
    method: 'post',
    path: FILES_PATH,
    operationId: 'stageFile',
    summary: 'Stage a file to send: its bytes as the body, streamed and sealed into the store as yours; name it in `attachments` of a send within a day. FILE_STORE_FULL (507) if it does not fit the limit',
    query: FileUploadQuery,
    rawBody: { contentType: FILE_UPLOAD_TYPE, description: 'The file\'s bytes, as they are (not empty)' },
    response: { kind: 'json', status: 201, schema: StagedFileView, description: 'The staged file' },
    handle: async ({ node, query, c }) => await node.stageFile({ name: query.name, type: query.type ?? FILE_UPLOAD_TYPE, preview: query.preview === true, content: await nonEmptyBody(c.req.raw.body) })
  }),
  defineRoute({
    method: 'get',
    path: FILES_PATH,
    operationId: 'getFilesUsage',
    summary: 'What the profile\'s files take: yours (sent and received) and those carried for colleagues, against the limit',
    response: { kind: 'json', status: 200, schema: FilesUsage, description: 'The usage' },
    handle: async ({ node }) => await node.filesUsage()
  }),
  defineRoute({
    method: 'delete',
    path: `${FILES_PATH}/{id}`,
    operationId: 'dropStagedFile',
    summary: 'Drop a staged file not sent (NOT_FOUND if none is staged by that id)',
    response: { kind: 'empty', description: 'Dropped' },
    handle: async ({ node, c }) => { await node.dropStagedFile(param(c, 'id')) }
  }),
  defineRoute({
    method: 'get',
    path: '/attachments/{id}',
    operationId: 'getAttachment',
    summary: 'An attachment of a message you hold: its state and progress',
    response: attachmentJson('The attachment'),
    handle: async ({ node, c }) => await node.attachment(param(c, 'id'))
  }),
  defineRoute({
    method: 'get',
    path: '/attachments/{id}/content',
    operationId: 'getAttachmentContent',
    summary: 'A held attachment\'s content as a download; `inline=true` shows a JPEG, PNG, WebP or GIF as an image (any other type, SVG and HTML included, is refused). FILE_NOT_HELD (409) until every chunk is here',
    query: AttachmentContentQuery,
    response: { kind: 'download', description: DOWNLOAD_DESCRIPTION },
    handle: async ({ node, query, c }) => await attachmentResponse(node, param(c, 'id'), query.inline === true)
  }),
  defineRoute({
    method: 'post',
    path: '/attachments/{id}/download',
    operationId: 'createDownloadLink',
    summary: 'A single-use link to a held attachment, for the browser\'s download manager: GET it without a token within 60 s, once',
    body: AttachmentAction,
    response: { kind: 'json', status: 201, schema: DownloadTicket, description: 'The link and when it expires' },
    handle: async ({ node, c }) => {
      const attachment = await node.attachment(param(c, 'id'))
      if (attachment.state !== 'held') throw new CausetteError('FILE_NOT_HELD', `attachment ${attachment.id} is ${attachment.state}: it can be saved once every chunk is here`)
      const { ticket, expires } = ticketsOf(node).issue(attachment.id)
      return { url: `${API_PREFIX}${DOWNLOADS_PATH}/${ticket}`, expires }
    }
  }),
  defineRoute({
    method: 'get',
    path: `${DOWNLOADS_PATH}/{ticket}`,
    operationId: 'downloadByLink',
    summary: 'The file of a download link (POST /attachments/{id}/download), as a download; no token: the link is the key, spent on first use',
    response: { kind: 'download', description: DOWNLOAD_DESCRIPTION },
    handle: async ({ node, c }) => {
      const ticket = param(c, 'ticket')
      const attachment = TICKET_PATTERN.test(ticket) ? ticketsOf(node).redeem(ticket) : undefined
      if (attachment === undefined) throw new CausetteError('NOT_FOUND', 'this download link is unknown, used or expired: ask for a new one')
      return await attachmentResponse(node, attachment, false)
    }
  }),
  defineRoute({
    method: 'post',
    path: '/attachments/{id}/cancel',
    operationId: 'cancelAttachment',
    summary: 'Stop fetching an attachment; the chunks already here are kept',
    body: AttachmentAction,
    response: attachmentJson('The attachment, cancelled'),
    handle: async ({ node, c }) => await node.cancelAttachment(param(c, 'id'))
  }),
  defineRoute({
    method: 'post',
    path: '/attachments/{id}/retry',
    operationId: 'retryAttachment',
    summary: 'Fetch a cancelled, paused or waiting attachment again, from the last checked chunk',
    body: AttachmentAction,
    response: attachmentJson('The attachment, fetching or waiting'),
    handle: async ({ node, c }) => await node.retryAttachment(param(c, 'id'))
  })
]
