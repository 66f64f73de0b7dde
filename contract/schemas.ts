import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  ACCESS_TOKEN_EVENT_SOURCES,
  ACCESS_TOKEN_EVENT_TYPES,
  ACCESS_TOKEN_ID_MAX_LENGTH,
  ACCESS_TOKEN_PERMISSIONS,
  MAX_TOKEN_NETWORKS,
  MAX_TOKEN_REPOSITORIES,
  EVENTS_MAX_RESULTS,
  LIST_MAX_RESULTS,
  NEXT_TOKEN_MAX_LENGTH,
  REVOKE_MAX_SECRETS,
  EMAIL_MAX_LENGTH,
  EMAIL_STATES,
  ADMIN_ACTIONS,
  ADMIN_LIST_MAX_RESULTS,
  ADMIN_REVOKE_MAX_IDS,
} from './access-tokens';

/**
 * Each wire shape, once: TypeScript types for the console, the mocks and the server come from here
 * (`Static`), the server validates requests and serializes responses with the same schemas, so a
 * field named here is a field on the wire and a field not named here never is.
 */

/** RFC 3339, as CodeCatalyst's model writes timestamps. */
const Timestamp = Type.String();

/** What a paged list operation takes: a page size up to `maxResults`, and the cursor it answered last. */
const PageRequest = (maxResults: number) =>
  Type.Object({
    maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: maxResults })),
    nextToken: Type.Optional(Type.String({ minLength: 1, maxLength: NEXT_TOKEN_MAX_LENGTH })),
  });

/** What a paged list operation answers: its items, and a cursor when more follow. */
const Page = <Item extends TSchema>(item: Item) => Type.Object({ items: Type.Array(item), nextToken: Type.Optional(Type.String()) });

/**
 * Our extension: what a PAT may do, on which of its owner's repositories (absent: all, present and
 * future; a name may be one a push will create), from which networks (absent: anywhere; addresses
 * or CIDRs).
 */
export const AccessTokenAccess = Type.Object({
  permissions: Type.Array(Type.Union(ACCESS_TOKEN_PERMISSIONS.map((permission) => Type.Literal(permission))), {
    minItems: 1,
    maxItems: ACCESS_TOKEN_PERMISSIONS.length,
  }),
  repositories: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: MAX_TOKEN_REPOSITORIES })),
  networks: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: MAX_TOKEN_NETWORKS })),
});
export type AccessTokenAccess = Static<typeof AccessTokenAccess>;

export const AccessTokenSummary = Type.Object({
  id: Type.String({ maxLength: ACCESS_TOKEN_ID_MAX_LENGTH }),
  name: Type.String(),
  expiresTime: Type.Optional(Timestamp),
  /** Our extension to the model: clients that don't know it ignore it. */
  lastUsedTime: Type.Optional(Timestamp),
  /** Our extension: when the PAT was created; Regenerate keeps it. */
  createdTime: Type.Optional(Timestamp),
  /**
   * Our extension: the PAT whose bearer created this token, by id and by the name it had (kept after
   * that PAT is gone). Absent: the token was made without a PAT (the activity log says how).
   */
  createdWith: Type.Optional(Type.Object({ accessTokenId: Type.String(), name: Type.String() })),
  /** Our extension: what the PAT is for, in its owner's words. Absent: none was given. */
  description: Type.Optional(Type.String()),
  /** Our extension: what the PAT may do, where, and from where. */
  access: Type.Optional(AccessTokenAccess),
});
export type AccessTokenSummary = Static<typeof AccessTokenSummary>;

export const CreateAccessTokenRequest = Type.Object({
  name: Type.String(),
  /** The service defaults it to the longest lifetime it allows. */
  expiresTime: Type.Optional(Timestamp),
  /** Our extension: up to 1,000 characters, line breaks allowed; empty or absent, none. */
  description: Type.Optional(Type.String()),
  /** Our extension. Absent: all its creator's access (the console's, or the PAT's that creates it). */
  access: Type.Optional(AccessTokenAccess),
});
export type CreateAccessTokenRequest = Static<typeof CreateAccessTokenRequest>;

export const CreateAccessTokenResponse = Type.Object({
  secret: Type.String(),
  name: Type.String(),
  expiresTime: Timestamp,
  accessTokenId: Type.String(),
});
export type CreateAccessTokenResponse = Static<typeof CreateAccessTokenResponse>;

/** Our extension: RegenerateAccessToken. The secret it answers replaces the old one at once. */
export const RegenerateAccessTokenRequest = Type.Object({
  /** As on create: the service defaults it to the longest lifetime it allows. */
  expiresTime: Type.Optional(Timestamp),
  /** A new description; empty removes it, absent keeps it. */
  description: Type.Optional(Type.String()),
  /** Narrower access than the token has; absent keeps it. */
  access: Type.Optional(AccessTokenAccess),
});
export type RegenerateAccessTokenRequest = Static<typeof RegenerateAccessTokenRequest>;

/** The same fields as CreateAccessToken's answer: the token's id and name, the new secret and expiry. */
export const RegenerateAccessTokenResponse = CreateAccessTokenResponse;
export type RegenerateAccessTokenResponse = CreateAccessTokenResponse;

export const ListAccessTokensRequest = PageRequest(LIST_MAX_RESULTS);
export type ListAccessTokensRequest = Static<typeof ListAccessTokensRequest>;

export const ListAccessTokensResponse = Page(AccessTokenSummary);
export type ListAccessTokensResponse = Static<typeof ListAccessTokensResponse>;

export const DeleteAccessTokenResponse = Type.Object({});
export type DeleteAccessTokenResponse = Static<typeof DeleteAccessTokenResponse>;

/**
 * Our extension, RevokeAccessTokens: secrets found exposed (in a public repository, a chat). Each
 * that is a live PAT stops working at once; the others are ignored.
 */
export const RevokeAccessTokensRequest = Type.Object({
  secrets: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: REVOKE_MAX_SECRETS }),
});
export type RevokeAccessTokensRequest = Static<typeof RevokeAccessTokensRequest>;

/** The same answer whatever the secrets were: it tells nothing about them. */
export const RevokeAccessTokensResponse = Type.Object({});
export type RevokeAccessTokensResponse = Static<typeof RevokeAccessTokensResponse>;

/** Our extension: one entry of the activity log. It never holds a secret. */
export const AccessTokenEvent = Type.Object({
  eventId: Type.String(),
  eventTime: Timestamp,
  eventType: Type.Union(ACCESS_TOKEN_EVENT_TYPES.map((type) => Type.Literal(type))),
  /** The token the event is about, by id and by the name it had then (kept after it is gone). */
  accessTokenId: Type.String(),
  accessTokenName: Type.String(),
  source: Type.Union(ACCESS_TOKEN_EVENT_SOURCES.map((source) => Type.Literal(source))),
  /** With source ACCESS_TOKEN: the PAT the request was made with. */
  sourceAccessToken: Type.Optional(Type.Object({ accessTokenId: Type.String(), name: Type.String() })),
  /** The client's address and User-Agent, when a request caused the event (not for an expiry). */
  sourceIpAddress: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
  /** For a refused use: the permission it needed (REFUSED_PERMISSION), or the repository (REFUSED_REPOSITORY). */
  detail: Type.Optional(Type.String()),
});
export type AccessTokenEvent = Static<typeof AccessTokenEvent>;

export const ListAccessTokenEventsRequest = PageRequest(EVENTS_MAX_RESULTS);
export type ListAccessTokenEventsRequest = Static<typeof ListAccessTokenEventsRequest>;

export const ListAccessTokenEventsResponse = Page(AccessTokenEvent);
export type ListAccessTokenEventsResponse = Static<typeof ListAccessTokenEventsResponse>;

export const VerifySessionResponse = Type.Object({ identity: Type.Optional(Type.String()) });
export type VerifySessionResponse = Static<typeof VerifySessionResponse>;

export const GetUserDetailsResponse = Type.Object({
  userId: Type.String(),
  userName: Type.String(),
  displayName: Type.String(),
  primaryEmail: Type.Object({ email: Type.String(), verified: Type.Boolean() }),
  version: Type.String(),
  /** Our extension: whether the caller may use the admin operations (and the console shows its Admin page). */
  admin: Type.Optional(Type.Boolean()),
});
export type GetUserDetailsResponse = Static<typeof GetUserDetailsResponse>;

/**
 * Our extension: the rules admins set for every PAT, enforced on create and regenerate: the longest
 * lifetime, the most live PATs a user may have, and what a PAT may not be.
 */
export const AccessTokenPolicy = Type.Object({
  maxTokenLifetimeYears: Type.Integer({ minimum: 1, maximum: 100 }),
  maxLiveTokens: Type.Integer({ minimum: 1, maximum: 100_000 }),
  /** No PAT with every permission on every repository from anywhere. */
  forbidFullAccess: Type.Boolean(),
  /** No PAT that may manage PATs. */
  forbidManageAccessTokens: Type.Boolean(),
  /** No PAT created with another PAT. */
  forbidAccessTokenCreatedTokens: Type.Boolean(),
});
export type AccessTokenPolicy = Static<typeof AccessTokenPolicy>;

export const UpdateAccessTokenPolicyRequest = Type.Partial(AccessTokenPolicy);
export type UpdateAccessTokenPolicyRequest = Static<typeof UpdateAccessTokenPolicyRequest>;

/** Our extension: what this deployment allows (its policy, and how long the log keeps), so the console offers no choice the server refuses. */
export const GetAccessTokenLimitsResponse = Type.Composite([
  AccessTokenPolicy,
  Type.Object({
    /** How many days the activity log keeps an event. */
    activityRetentionDays: Type.Integer({ minimum: 1 }),
  }),
]);
export type GetAccessTokenLimitsResponse = Static<typeof GetAccessTokenLimitsResponse>;

/** Our extension: where the caller's notices go, and whether this deployment sends e-mail at all. */
export const NotificationSettings = Type.Object({
  /** The address notices go to: a confirmed one set in the console, else the proxy's. */
  email: Type.Optional(Type.String()),
  emailState: Type.Union(EMAIL_STATES.map((state) => Type.Literal(state))),
  /** An address set in the console, until its link is followed. */
  pendingEmail: Type.Optional(Type.String()),
  /** Whether the caller wants e-mail before a PAT expires (and when one was revoked as exposed). */
  expiryEmails: Type.Boolean(),
  /** How many days before expiry the notices go out, as this deployment sends them. */
  expiryNoticeDays: Type.Array(Type.Integer({ minimum: 1 })),
  /** False when the deployment has no mail server: nothing is sent, whatever is set here. */
  emailAvailable: Type.Boolean(),
});
export type NotificationSettings = Static<typeof NotificationSettings>;

export const UpdateNotificationSettingsRequest = Type.Object({
  /** An address to confirm: a link is mailed to it, and notices go there once it is followed. Empty: back to the proxy's. */
  email: Type.Optional(Type.String({ maxLength: EMAIL_MAX_LENGTH })),
  expiryEmails: Type.Optional(Type.Boolean()),
});
export type UpdateNotificationSettingsRequest = Static<typeof UpdateNotificationSettingsRequest>;

export const ConfirmNotificationEmailRequest = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
export type ConfirmNotificationEmailRequest = Static<typeof ConfirmNotificationEmailRequest>;

/** Our extension: a PAT as an admin sees it, with its owner. */
export const AdminAccessTokenSummary = Type.Composite([AccessTokenSummary, Type.Object({ ownerName: Type.String() })]);
export type AdminAccessTokenSummary = Static<typeof AdminAccessTokenSummary>;

export const AdminListAccessTokensRequest = Type.Composite([
  PageRequest(ADMIN_LIST_MAX_RESULTS),
  Type.Object({
    /** One user's PATs, by user name. */
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** PATs whose name or owner contains this text, in any case. */
    filterText: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** By creation (the default), or by expiry. */
    sortBy: Type.Optional(Type.Union([Type.Literal('createdTime'), Type.Literal('expiresTime')])),
    /** Oldest (or soonest) first, ASCENDING; or newest (latest) first, DESCENDING, the default. */
    sortOrder: Type.Optional(Type.Union([Type.Literal('ASCENDING'), Type.Literal('DESCENDING')])),
    /** Only the PATs the policy would refuse today (made before it changed): they stay until revoked or expired. */
    outsidePolicy: Type.Optional(Type.Boolean()),
  }),
]);
export type AdminListAccessTokensRequest = Static<typeof AdminListAccessTokensRequest>;

export const AdminListAccessTokensResponse = Page(AdminAccessTokenSummary);
export type AdminListAccessTokensResponse = Static<typeof AdminListAccessTokensResponse>;

/** Some PATs by id, or every PAT of one user: one of the two. */
export const AdminRevokeAccessTokensRequest = Type.Object({
  accessTokenIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 36 }), { minItems: 1, maxItems: ADMIN_REVOKE_MAX_IDS })),
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export type AdminRevokeAccessTokensRequest = Static<typeof AdminRevokeAccessTokensRequest>;

export const AdminRevokeAccessTokensResponse = Type.Object({ revokedCount: Type.Integer({ minimum: 0 }) });
export type AdminRevokeAccessTokensResponse = Static<typeof AdminRevokeAccessTokensResponse>;

/** What DisableUser and EnableUser answer: the user's state, and how many PATs a disable revoked. */
export const UserStateResponse = Type.Object({ userName: Type.String(), disabled: Type.Boolean(), revokedCount: Type.Integer({ minimum: 0 }) });
export type UserStateResponse = Static<typeof UserStateResponse>;

/** Our extension: one entry of the admin log. */
export const AdminEvent = Type.Object({
  eventId: Type.String(),
  eventTime: Timestamp,
  adminName: Type.String(),
  action: Type.Union(ADMIN_ACTIONS.map((action) => Type.Literal(action))),
  /** The user acted on. */
  targetUserName: Type.Optional(Type.String()),
  /** What was done: the PATs revoked, by name; the policy's new values. */
  detail: Type.Optional(Type.String()),
  sourceIpAddress: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
});
export type AdminEvent = Static<typeof AdminEvent>;

export const ListAdminEventsRequest = PageRequest(ADMIN_LIST_MAX_RESULTS);
export type ListAdminEventsRequest = Static<typeof ListAdminEventsRequest>;
export const ListAdminEventsResponse = Page(AdminEvent);
export type ListAdminEventsResponse = Static<typeof ListAdminEventsResponse>;

/** Our extension: a Git repository of the caller's, pushed over HTTPS with a PAT. */
export const RepositorySummary = Type.Object({
  name: Type.String(),
  /** When a push last changed it; absent before the first push. */
  lastPushTime: Type.Optional(Timestamp),
  sizeBytes: Type.Integer({ minimum: 0 }),
});
export type RepositorySummary = Static<typeof RepositorySummary>;

export const ListRepositoriesResponse = Type.Object({ items: Type.Array(RepositorySummary) });
export type ListRepositoriesResponse = Static<typeof ListRepositoriesResponse>;

export const ApiErrorBody = Type.Object({ message: Type.String() });
export type ApiErrorBody = Static<typeof ApiErrorBody>;
