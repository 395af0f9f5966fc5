import { expect, test, type APIRequestContext } from '@playwright/test';
import type { Collection, ServicePrincipal } from '@provisio/contracts';
import { signIn } from '../support/portal';
import { adminApi, json } from '../support/stack';

// The gallery: New application → search → a template's page with its features and tutorial →
// Create → the new application's Provisioning page, whose Setup tutorial link opens the tutorial.

const NAME = `Slack ${Date.now()}`;
let api: APIRequestContext;

test.beforeAll(async () => {
  api = await adminApi();
});

test.afterAll(async () => {
  // Remove the application the test created (with its provisioning job); it provisioned nothing.
  const list = await json<Collection<ServicePrincipal>>(
    api,
    `/api/v1.0/servicePrincipals?$search=${encodeURIComponent(NAME)}`,
  );
  for (const sp of list.value.filter((s) => s.displayName === NAME)) {
    const res = await api.delete(`/api/v1.0/servicePrincipals/${sp.id}`);
    expect(res.status()).toBe(204);
  }
  await api.dispose();
});

test('find a template by search, read its tutorial, create the application and reach the tutorial from Provisioning', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/applications');
  await page.getByRole('button', { name: 'New application' }).click();
  await expect(page.getByRole('heading', { name: 'Browse Provisio Gallery' })).toBeVisible();

  // Browse by category, then search.
  const gallery = page.getByRole('list', { name: 'Gallery applications' });
  await page.getByLabel('Category').selectOption({ label: 'Design' });
  await expect(gallery.getByRole('link')).toHaveCount(1);
  await expect(gallery.getByRole('link', { name: 'Figma' })).toBeVisible();
  await page.getByLabel('Category').selectOption({ label: 'All categories' });
  await page.getByRole('searchbox').fill('slack');
  await expect(gallery.getByRole('link')).toHaveCount(1);
  await gallery.getByRole('link', { name: 'Slack' }).click();

  // The template's page: features, facts and the tutorial.
  await expect(page.getByRole('heading', { name: 'Slack', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Supported provisioning features' })).toBeVisible();
  await expect(page.getByText('https://api.slack.com/scim/v2').first()).toBeVisible();
  const tutorial = page.getByRole('region', { name: 'Setup tutorial' });
  await expect(tutorial.getByRole('heading', { name: 'Find the Tenant URL and Secret Token' })).toBeVisible();
  await expect(tutorial.getByRole('heading', { name: 'Troubleshooting' })).toBeVisible();
  await expect(tutorial.getByRole('table').first()).toContainText('userName');

  // Create: an empty name is refused, then the application is added and opens on Provisioning.
  const form = page.getByRole('form', { name: 'Create Slack' });
  const name = form.getByRole('textbox', { name: 'Name' });
  await name.fill('   ');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(form.getByText('Enter a name for the application.')).toBeVisible();
  await name.fill(NAME);
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: `${NAME} | Provisioning` })).toBeVisible();

  // The application has Slack's schema (its job came from the template) and the tutorial is one click away.
  const sp = (
    await json<Collection<ServicePrincipal>>(
      api,
      `/api/v1.0/servicePrincipals?$search=${encodeURIComponent(NAME)}`,
    )
  ).value.find((s) => s.displayName === NAME);
  expect(sp?.applicationTemplateId).toBe('slack');
  const jobs = await json<Collection<{ templateId: string }>>(
    api,
    `/api/v1.0/servicePrincipals/${sp!.id}/synchronization/jobs`,
  );
  expect(jobs.value.map((j) => j.templateId)).toEqual(['slack']);

  await page.getByRole('link', { name: 'Setup tutorial' }).click();
  await expect(page.getByRole('heading', { name: `${NAME} | Setup tutorial` })).toBeVisible();
  await expect(
    page
      .getByRole('region', { name: 'Setup tutorial' })
      .getByRole('heading', { name: 'Configure Slack for automatic provisioning' }),
  ).toBeVisible();
});
