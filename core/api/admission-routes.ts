// The routes of admitting a desk over the network (core/workspace/join-requests.ts): the admin's
// list and its Admit / confirm / decline, and the newcomer's confirm / decline of an admin's offer.
import { defineRoute, type ApiRoute } from './route.js'
import { AdmissionConfirm, AdmissionStep, AdmissionView, ConnectionView, JoinOfferView, JoinRequestView } from './schema.js'

export const admissionRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/connections',
    operationId: 'listConnections',
    summary: 'The open connections to other desks, with their ids (diagnostics: whether a join cut anyone off)',
    response: { kind: 'json', status: 200, schema: ConnectionView.array(), description: 'Open connections' },
    handle: async ({ node }) => await node.connections()
  }),
  defineRoute({
    method: 'get',
    path: '/workspace/admission',
    operationId: 'getAdmission',
    summary: 'To an admin, the desks on the network that want to join; to a desk in no workspace, the admins that can admit it',
    response: { kind: 'json', status: 200, schema: AdmissionView, description: 'Requests and offers' },
    handle: async ({ node }) => await node.admission()
  }),
  defineRoute({
    method: 'post',
    path: '/workspace/requests/{peerId}/admit',
    operationId: 'admitDesk',
    summary: 'Admit a desk that wants to join (admins only): both screens then show the same 6-digit code to compare aloud',
    body: AdmissionStep,
    response: { kind: 'json', status: 200, schema: JoinRequestView, description: 'The request with its code' },
    handle: async ({ node, c }) => await node.admitDesk(c.req.param('peerId')!)
  }),
  defineRoute({
    method: 'post',
    path: '/workspace/requests/{peerId}/confirm',
    operationId: 'confirmAdmission',
    summary: 'The admin says the codes match; the desk is admitted once its user has said so too',
    body: AdmissionConfirm,
    response: { kind: 'json', status: 200, schema: JoinRequestView, description: 'The request (gone from the list once admitted)' },
    handle: async ({ node, body, c }) => await node.confirmAdmission(c.req.param('peerId')!, body.code)
  }),
  defineRoute({
    method: 'post',
    path: '/workspace/requests/{peerId}/decline',
    operationId: 'declineAdmission',
    summary: 'The admin says the codes differ, or stops: nothing is admitted, the desk is told',
    body: AdmissionStep,
    response: { kind: 'json', status: 200, schema: JoinRequestView, description: 'The request, waiting again' },
    handle: async ({ node, c }) => await node.declineAdmission(c.req.param('peerId')!)
  }),
  defineRoute({
    method: 'post',
    path: '/workspace/offers/{peerId}/confirm',
    operationId: 'confirmJoinOffer',
    summary: 'The newcomer says the codes match: its signed join request goes to that admin',
    body: AdmissionConfirm,
    response: { kind: 'json', status: 200, schema: JoinOfferView, description: 'The offer, confirmed' },
    handle: async ({ node, body, c }) => await node.confirmJoinOffer(c.req.param('peerId')!, body.code)
  }),
  defineRoute({
    method: 'post',
    path: '/workspace/offers/{peerId}/decline',
    operationId: 'declineJoinOffer',
    summary: 'The newcomer says the codes differ: nothing is joined, the admin is told',
    body: AdmissionStep,
    response: { kind: 'json', status: 200, schema: JoinOfferView, description: 'The offer, cancelled' },
    handle: async ({ node, c }) => await node.declineJoinOffer(c.req.param('peerId')!)
  })
]
