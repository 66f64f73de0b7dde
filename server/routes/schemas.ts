/** Response schemas: Fastify serializes with them, faster, and drops any field not named here. */

const timestamp = { type: 'string' } as const;

export const createResponseSchema = {
  201: {
    type: 'object',
    required: ['secret', 'name', 'expiresTime', 'accessTokenId'],
    properties: { secret: { type: 'string' }, name: { type: 'string' }, expiresTime: timestamp, accessTokenId: { type: 'string' } },
  },
} as const;

export const listResponseSchema = {
  200: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, expiresTime: timestamp, lastUsedTime: timestamp },
        },
      },
      nextToken: { type: 'string' },
    },
  },
} as const;

export const emptyResponseSchema = { 200: { type: 'object', properties: {} } } as const;

export const sessionResponseSchema = {
  200: { type: 'object', properties: { identity: { type: 'string' } } },
} as const;

export const userDetailsResponseSchema = {
  200: {
    type: 'object',
    properties: {
      userId: { type: 'string' },
      userName: { type: 'string' },
      displayName: { type: 'string' },
      primaryEmail: { type: 'object', properties: { email: { type: 'string' }, verified: { type: 'boolean' } } },
      version: { type: 'string' },
    },
  },
} as const;
