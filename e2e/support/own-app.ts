import type { APIRequestContext, APIResponse } from '@playwright/test';
import type { Collection, SynchronizationJob, User } from '@provisio/contracts';
import { sampleApp } from './stack';

/** The app role every application has: plain access. */
const DEFAULT_ACCESS = '00000000-0000-0000-0000-000000000000';

/** The JSON of a successful answer (nothing for a 204); a failure throws with what was being done. */
export async function ok<T>(res: APIResponse, what: string): Promise<T> {
  if (!res.ok()) throw new Error(`${what}: ${res.status()} ${await res.text()}`);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

/**
 * An application of a spec's own, with a SCIM job into the shared sample app. Its users carry the
 * spec's stamp in their user principal names (`name.stamp@contoso.com`), so that `remove` finds
 * the accounts the job created in the sample app, which the other specs share, and deletes them.
 */
export class OwnApp {
  private readonly users: User[] = [];

  private constructor(
    private readonly api: APIRequestContext,
    readonly stamp: string,
    readonly spId: string,
    readonly jobId: string,
  ) {}

  /** The job's address in the API. */
  get jobUrl(): string {
    return `/api/v1.0/servicePrincipals/${this.spId}/synchronization/jobs/${this.jobId}`;
  }

  /** Creates the application and its job; with `credentials`, the sample app's Tenant URL and token. */
  static async create(
    api: APIRequestContext,
    displayName: string,
    stamp: string,
    options: { credentials?: boolean } = {},
  ): Promise<OwnApp> {
    const sp = await ok<{ id: string }>(
      await api.post('/api/v1.0/servicePrincipals', { data: { displayName } }),
      'create application',
    );
    const job = await ok<SynchronizationJob>(
      await api.post(`/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs`, {
        data: { templateId: 'scim' },
      }),
      'create job',
    );
    const app = new OwnApp(api, stamp, sp.id, job.id);
    if (options.credentials) await app.saveCredentials(sampleApp.baseUrl, sampleApp.token());
    return app;
  }

  /**
   * Takes charge of an application a spec created through the portal (from the gallery, say), so
   * that `remove` deletes it with its job, the accounts it provisioned under `stamp` and the users
   * made with `newUser`.
   */
  static async adopt(api: APIRequestContext, spId: string, stamp: string): Promise<OwnApp> {
    const jobs = await ok<Collection<SynchronizationJob>>(
      await api.get(`/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`),
      'read jobs',
    );
    const job = jobs.value[0];
    if (!job) throw new Error(`application ${spId} has no provisioning job`);
    return new OwnApp(api, stamp, spId, job.id);
  }

  /** Saves the Tenant URL and Secret Token. */
  async saveCredentials(baseAddress: string, token: string): Promise<void> {
    await ok(
      await this.api.put(`/api/v1.0/servicePrincipals/${this.spId}/synchronization/secrets`, {
        data: {
          value: [
            { key: 'BaseAddress', value: baseAddress },
            { key: 'SecretToken', value: token },
          ],
        },
      }),
      'save credentials',
    );
  }

  /** The user principal name `newUser` gives a user named `name`. */
  upn(name: string): string {
    return `${name.toLowerCase()}.${this.stamp}@contoso.com`;
  }

  /** A directory user named after `name` and the stamp, removed again by `remove`. */
  async newUser(name: string, over: Partial<User> = {}): Promise<User> {
    const user = await ok<User>(
      await this.api.post('/api/v1.0/users', {
        data: { userPrincipalName: this.upn(name), displayName: `${name} ${this.stamp}`, ...over },
      }),
      `create ${name}`,
    );
    this.users.push(user);
    return user;
  }

  /** Assigns a user or group to the application with plain access. */
  async assign(principalId: string): Promise<void> {
    await ok(
      await this.api.post(`/api/v1.0/servicePrincipals/${this.spId}/appRoleAssignedTo`, {
        data: { principalId, resourceId: this.spId, appRoleId: DEFAULT_ACCESS },
      }),
      'assign',
    );
  }

  /**
   * Stops the job and waits for a running cycle to end (so that no account is created after the
   * sample app was cleaned), then deletes the application, the accounts it created in the sample
   * app and its users (permanently: they do not wait in Deleted users).
   */
  async remove(): Promise<void> {
    await this.api.post(`${this.jobUrl}/pause`);
    for (let waited = 0; waited < 60_000; waited += 250) {
      const job = await ok<SynchronizationJob>(await this.api.get(this.jobUrl), 'read job');
      if (job.status.activity !== 'InProgress') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await this.api.delete(`/api/v1.0/servicePrincipals/${this.spId}`);
    for (const account of await sampleApp.users()) {
      if (!String(account.userName).endsWith(`.${this.stamp}@contoso.com`)) continue;
      const res = await fetch(`${sampleApp.baseUrl}/Users/${String(account.id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${sampleApp.token()}` },
      });
      if (res.status !== 204) throw new Error(`sample app DELETE /Users: ${res.status}`);
    }
    // Delete, then empty the recycle bin of them, so that no deleted user stays behind either.
    for (const user of this.users) {
      await this.api.delete(`/api/v1.0/users/${user.id}`);
      await this.api.delete(`/api/v1.0/directory/deletedItems/${user.id}`);
    }
  }
}
