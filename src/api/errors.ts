import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_CATALOGUE, isRoachError } from '../domain/errors.js';
import type { ErrorCode } from '../domain/errors.js';

/** The one error body of the API. */
export function errorBody(code: ErrorCode, message: string, requestId: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, requestId, details } };
}

/** Every failure leaves as `{ error: { code, message, requestId, details } }` with the catalogue's status. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = error.validation.map((issue) => {
      const where = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(body)';
      return `${error.validationContext ?? 'request'}.${where}: ${issue.message}`;
    });
    return reply.status(400).send(errorBody('CR_ERR_REQUEST_INVALID', `Invalid request: ${fields.join('; ')}`, request.id, { fields }));
  }
  if (isRoachError(error)) {
    return reply.status(ERROR_CATALOGUE[error.code].status).send(errorBody(error.code, error.message, request.id, { ...error.details }));
  }
  if (error.statusCode === 429) {
    return reply.status(429).send(errorBody('CR_ERR_RATE_LIMITED', error.message, request.id));
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own refusals (malformed JSON, body too large, wrong content type).
    return reply.status(error.statusCode).send(errorBody('CR_ERR_REQUEST_INVALID', error.message, request.id));
  }
  request.log.error({ err: error }, 'internal error');
  return reply.status(500).send(errorBody('CR_ERR_INTERNAL', 'Internal error; the request id finds it in the server log.', request.id));
}
