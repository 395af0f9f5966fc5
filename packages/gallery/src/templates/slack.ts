import {
  activeMapping,
  coreGroupAttributes,
  coreUserAttributes,
  attr,
  defaultGroupMappings,
  defineTemplate,
  direct,
  expression,
} from '../template';

/** Chat: Slack (Business+ and Enterprise Grid plans). */
export const slackTemplate = defineTemplate({
  id: 'slack',
  displayName: 'Slack',
  publisher: 'Slack Technologies',
  description:
    'Team chat: creates and deactivates Slack accounts for the people you assign and keeps Slack user groups in line with your groups.',
  categories: ['communication', 'collaboration'],
  logo: { letters: 'Sl', color: '#4a154b' },
  homePageUrl: 'https://slack.com',
  synchronizationTemplateId: 'slack',
  supportedFeatures: { users: true, groups: true, patch: true, roles: false, onDemand: true },
  scimDialect: {
    patchDialect: 'entra',
    tenantUrlFormat: 'https://api.slack.com/scim/v2',
    quirks: [
      'A Slack username may hold only lowercase letters, digits, periods, hyphens and underscores, at most 21 characters: the default mapping lowercases `mailNickname` and cuts it to 21.',
      'Slack never deletes an account: DELETE and `active` false both deactivate it.',
      'Email addresses must be unique in the workspace or organization.',
      'Slack limits SCIM calls for the whole organization, all SCIM apps together: 600 writes a minute in all, and 180 a minute for each of creating, updating and deleting users or groups, with small bursts; beyond that it answers 429 with Retry-After.',
    ],
  },
  requestsPerSecond: 3,
  userAttributes: coreUserAttributes(attr('title'), attr('nickName')),
  groupAttributes: coreGroupAttributes(),
  userMappings: [
    expression('Left(ToLower([mailNickname], ), 21)', 'userName', { matchingPriority: 1 }),
    activeMapping(),
    direct('displayName', 'displayName'),
    direct('givenName', 'name.givenName'),
    direct('surname', 'name.familyName'),
    direct('mail', 'emails[type eq "work"].value'),
    direct('jobTitle', 'title'),
    direct('objectId', 'externalId'),
  ],
  groupMappings: defaultGroupMappings(),
  appRoles: [],
  tutorial: {
    prerequisites: [
      'A Slack workspace or Enterprise Grid organization on a plan that includes SCIM provisioning (Business+ or Enterprise Grid).',
      'A Slack Owner (Primary Owner, Org Owner or Org Admin) to create the token.',
      'An administrator account in Provisio.',
    ],
    credentials:
      'The **Tenant URL** is `https://api.slack.com/scim/v2`; it is the same for every workspace, because the token says which one. The **Secret Token** is an OAuth token with the `admin` scope: create a Slack app at api.slack.com, add the `admin` user token scope, install it to the workspace as an Owner, and copy the **User OAuth Token** (it starts with `xoxp-`).',
    firstCycle:
      'Assigned users are matched by username; those who already have a Slack account are linked and updated, the others are created. Assigned groups become Slack user groups with their members.',
    troubleshooting: [
      {
        problem: 'Test Connection fails with 403 `not_allowed` or `invalid_authentication`.',
        fix: 'The token lacks the `admin` scope or was not installed by an Owner: reinstall the app as an Owner and copy the new token.',
      },
      {
        problem: 'Creating a user fails with 409 `username_taken` or `email_taken`.',
        fix: 'Someone in Slack already has that name or email: the match found nobody because the values differ in case or domain; align them and restart provisioning.',
      },
      {
        problem: 'Many requests fail with 429.',
        fix: 'Nothing to do: Provisio waits as Slack asks and carries on; a large initial cycle simply takes longer.',
      },
    ],
  },
});
