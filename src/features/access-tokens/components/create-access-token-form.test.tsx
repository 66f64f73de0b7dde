import createWrapper from '@cloudscape-design/components/test-utils/dom';
import { screen, waitFor, within } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_TYPE_HEADER, PATHS, SECRET_PATTERN } from '../../../../contract/access-tokens';
import type { CreateAccessTokenRequest } from '../../../../contract/schemas';
import { mockServer, mockBackend } from '../../../../mocks/node';
import { flashMessages } from '../../../testing/page-objects';
import { renderApp } from '../../../testing/render-app';
import { UNCERTAIN_RECHECK_MS } from './create-access-token-form';

const longDate = (date: Date) =>
  new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }).format(date);

/** Local midnight `days` days from today (or a year from today). */
function localDay({ days = 0, years = 0 }: { days?: number; years?: number }) {
  const date = new Date();
  date.setHours(0, 0, 0, 0);
  date.setFullYear(date.getFullYear() + years);
  date.setDate(date.getDate() + days);
  return date;
}

/** What Create gives unless told otherwise: what a Git password needs. */
const GIT_PASSWORD_ACCESS = { permissions: ['READ_REPOSITORIES', 'WRITE_REPOSITORIES'] };

const typedDate = (date: Date) =>
  `${date.getFullYear()}/${String(date.getMonth() + 1).padStart(2, '0')}/${String(date.getDate()).padStart(2, '0')}`;

function recordCreates() {
  const bodies: CreateAccessTokenRequest[] = [];
  mockServer.events.on('request:start', ({ request }) => {
    if (request.method === 'PUT') void request.clone().json().then((body) => bodies.push(body as CreateAccessTokenRequest));
  });
  return bodies;
}

async function openCreatePage() {
  const rendered = renderApp('/settings/tokens/create');
  expect(await screen.findByRole('heading', { name: 'Create PAT', level: 1 })).toBeVisible();
  // The form waits for the server to say what it allows.
  await screen.findByRole('textbox', { name: 'PAT name' });
  return rendered;
}

const nameInput = () => screen.getByRole('textbox', { name: 'PAT name' });
const fieldOf = (label: string) =>
  createWrapper()
    .findAllFormFields()
    .find((field) => field.findLabel()?.getElement().textContent === label)!;
const expirySummary = () => screen.getByText(/^(Expires on|Choose a valid date)/);
const createButton = () => screen.getByRole('button', { name: 'Create' });
const customDateInput = () => screen.getByRole('textbox', { name: 'Custom expiration date' });

describe('Create PAT', () => {
  it('defaults the expiry to one year from today and creates the token at the start of that day', async () => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    const aYearAhead = localDay({ years: 1 });
    expect(expirySummary()).toHaveTextContent(`Expires on ${longDate(aYearAhead)}`);
    expect(screen.getByRole('radio', { name: '1 year (default)' })).toBeChecked();

    await user.type(nameInput(), '  work laptop  ');
    await user.click(createButton());

    const dialog = await screen.findByRole('dialog');
    expect(bodies).toEqual([{ name: 'work laptop', expiresTime: aYearAhead.toISOString(), access: GIT_PASSWORD_ACCESS }]);
    expect(within(dialog).getByText('work laptop')).toBeVisible();
    expect(within(dialog).getByText(longDate(aYearAhead))).toBeVisible();
    expect(within(dialog).getByLabelText('PAT secret')).toHaveTextContent(SECRET_PATTERN);
    expect(within(dialog).getByText('This is the only time the secret is shown')).toBeVisible();
  });

  it('sends a description when one is given, and says what is wrong with one next to it (our extension)', async () => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'ci');
    const description = screen.getByRole('textbox', { name: 'Description - optional' });
    await user.click(description);
    await user.paste('x'.repeat(1001));
    await user.click(createButton());
    await waitFor(() =>
      expect(fieldOf('Description - optional').findError()?.getElement()).toHaveTextContent(
        'The description can have at most 1000 characters; it has 1001.',
      ),
    );
    expect(description).toHaveFocus();
    expect(bodies).toEqual([]);

    await user.clear(description);
    await user.type(description, '  Deploys the docs.{Enter}Owner: me  ');
    expect(fieldOf('Description - optional').findConstraint()?.getElement()).toHaveTextContent('27/1000 characters.');
    await user.click(createButton());
    await screen.findByRole('dialog');
    expect(bodies).toEqual([{ name: 'ci', expiresTime: localDay({ years: 1 }).toISOString(), description: 'Deploys the docs.\nOwner: me', access: GIT_PASSWORD_ACCESS }]);
  });

  it('limits a PAT to reading chosen repositories, a known one and a new one, and shows a clone command for it (our extension)', async () => {
    mockBackend.addRepository('notes');
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'reader');
    await user.click(screen.getByRole('checkbox', { name: /^Write repositories/ }));
    expect(screen.getByRole('checkbox', { name: /^Read repositories/ })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: /^Only these/ }));
    await user.click(createButton());
    await waitFor(() =>
      expect(fieldOf('Repository names').findError()?.getElement()).toHaveTextContent('Name at least one repository, or choose All repositories.'),
    );
    const names = screen.getByRole('combobox', { name: /^Repository name/ });
    await user.type(names, 'not');
    act(() => createWrapper().findAutosuggest()!.selectSuggestionByValue('notes'));
    // A name that does not exist yet, for a push to create: typed, and taken with Enter.
    await user.type(names, 'fresh-repo{Enter}');
    expect(createWrapper().findTokenGroup()!.findTokens().map((token) => token.findLabel().getElement().textContent)).toEqual(['notes', 'fresh-repo']);
    await user.type(screen.getByRole('textbox', { name: /^Networks/ }), '10.0.0.0/8{Enter}2001:db8::/32');
    await user.click(createButton());

    const dialog = await screen.findByRole('dialog');
    expect(bodies).toEqual([
      {
        name: 'reader',
        expiresTime: localDay({ years: 1 }).toISOString(),
        access: { permissions: ['READ_REPOSITORIES'], repositories: ['notes', 'fresh-repo'], networks: ['10.0.0.0/8', '2001:db8::/32'] },
      },
    ]);
    expect(within(dialog).getByText('git clone http://marymajor@localhost:3000/git/marymajor/notes.git')).toBeVisible();
    expect(within(dialog).getByText(/This PAT can only read/)).toBeVisible();
    expect(mockBackend.list(new Date())[0]?.access).toEqual(bodies[0]?.access);
  });

  it('says what is wrong with the access next to each field (our extension)', async () => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'nothing');
    await user.click(screen.getByRole('checkbox', { name: /^Write repositories/ }));
    await user.click(screen.getByRole('checkbox', { name: /^Read repositories/ }));
    // Nothing to do with Git: no repositories to choose.
    expect(screen.queryByRole('radio', { name: /^Only these/ })).not.toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: /^Networks/ }), '10.0.0.300');
    await user.click(createButton());
    await waitFor(() => expect(fieldOf('What this PAT may do').findError()?.getElement()).toHaveTextContent('Choose at least one thing this PAT may do.'));
    expect(fieldOf('Networks - optional').findError()?.getElement()).toHaveTextContent('"10.0.0.300" is not an IP address or CIDR.');
    expect(bodies).toEqual([]);
    await user.click(screen.getByRole('checkbox', { name: /^Manage PATs/ }));
    await user.clear(screen.getByRole('textbox', { name: /^Networks/ }));
    await user.click(createButton());
    const dialog = await screen.findByRole('dialog');
    expect(bodies[0]?.access).toEqual({ permissions: ['MANAGE_ACCESS_TOKENS'] });
    expect(within(dialog).queryByText(/As a Git password/)).not.toBeInTheDocument();
    expect(within(dialog).getByText(/As an API bearer token/)).toBeVisible();
  });

  it('offers 30, 60 and 90 days', async () => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.click(screen.getByRole('radio', { name: '90 days' }));
    expect(expirySummary()).toHaveTextContent(`Expires on ${longDate(localDay({ days: 90 }))}`);
    await user.click(screen.getByRole('radio', { name: '30 days' }));
    expect(expirySummary()).toHaveTextContent(`Expires on ${longDate(localDay({ days: 30 }))}`);
    await user.type(nameInput(), 'short-lived');
    await user.click(createButton());
    await screen.findByRole('dialog');
    expect(bodies[0]?.expiresTime).toBe(localDay({ days: 30 }).toISOString());
  });

  it('takes a custom date typed or picked on the calendar, and explains dates it cannot take', async () => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'custom');
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    const expiryField = fieldOf('Expiration date');
    expect(expiryField.findConstraint()?.getElement()).toHaveTextContent(
      `Choose a date from ${longDate(localDay({ days: 1 }))} to ${longDate(localDay({ years: 1 }))}.`,
    );

    await user.clear(customDateInput());
    await user.type(customDateInput(), typedDate(localDay({ days: -3 })));
    await user.click(createButton());
    expect(expiryField.findError()?.getElement()).toHaveTextContent('Choose a date after today');
    expect(bodies).toEqual([]);

    await user.clear(customDateInput());
    await user.type(customDateInput(), typedDate(localDay({ years: 1, days: 1 })));
    expect(expiryField.findError()?.getElement()).toHaveTextContent('A PAT can live one year at most');

    // The calendar shows the month of the typed date; pick a day it allows.
    await user.clear(customDateInput());
    await user.type(customDateInput(), typedDate(localDay({ days: 40 })));
    expect(expiryField.findError()).toBeNull();
    const target = localDay({ days: 41 });
    if (target.getMonth() !== localDay({ days: 40 }).getMonth()) {
      await user.click(screen.getByRole('button', { name: /next month/i }));
    }
    await user.click(await screen.findByRole('button', { name: longDate(target) }));
    expect(customDateInput()).toHaveValue(typedDate(target));
    expect(expirySummary()).toHaveTextContent(`Expires on ${longDate(target)}`);

    await user.click(createButton());
    await screen.findByRole('dialog');
    expect(bodies).toEqual([{ name: 'custom', expiresTime: target.toISOString(), access: GIT_PASSWORD_ACCESS }]);
  });

  const nextYear = new Date().getFullYear() + 1;
  it.each([
    ['an impossible date', `${nextYear}/02/30`, `February ${nextYear} has ${new Date(nextYear, 2, 0).getDate()} days.`],
    ['a year alone', `${nextYear}`, 'Enter a valid date, as YYYY/MM/DD.'],
    ['a month without its day', `${nextYear}/03`, 'Enter a valid date, as YYYY/MM/DD.'],
    ['letters', 'next friday', 'Enter a valid date, as YYYY/MM/DD.'],
  ])('refuses %s typed as the date, as it was typed, says why, and sends nothing', async (_what, typed, why) => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'typed');
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    await user.clear(customDateInput());
    await user.type(customDateInput(), typed);
    await user.tab();
    expect(customDateInput()).toHaveValue(typed);
    await user.click(createButton());
    expect(fieldOf('Expiration date').findError()?.getElement()).toHaveTextContent(why);
    expect(expirySummary()).toHaveTextContent('Choose a valid date');
    expect(customDateInput()).toHaveValue(typed);
    expect(bodies).toEqual([]);
  });

  describe('left open past midnight', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A local time just before the midnight that starts `nextDay`. */
    function justBeforeMidnight() {
      const nextDay = new Date(2027, 2, 10);
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(new Date(nextDay.getTime() - 1500));
      return nextDay;
    }

    it('moves presets and the calendar range on to the new day', async () => {
      const nextDay = justBeforeMidnight();
      await openCreatePage();
      const before = new Date(nextDay);
      before.setDate(before.getDate() - 1);
      before.setFullYear(before.getFullYear() + 1);
      expect(expirySummary()).toHaveTextContent(`Expires on ${longDate(before)}`);
      const after = new Date(nextDay);
      after.setFullYear(after.getFullYear() + 1);
      await waitFor(() => expect(expirySummary()).toHaveTextContent(`Expires on ${longDate(after)}`), { timeout: 5000 });
    });

    it('checks the date again at submit, and sends nothing the day no longer allows', async () => {
      const nextDay = justBeforeMidnight();
      const bodies = recordCreates();
      const { user } = await openCreatePage();
      await user.type(nameInput(), 'overnight');
      await user.click(screen.getByRole('radio', { name: 'Custom' }));
      await user.clear(customDateInput());
      // "Tomorrow" when typed; today by the time Create is pressed.
      await user.type(customDateInput(), typedDate(nextDay));
      expect(fieldOf('Expiration date').findError()).toBeNull();
      vi.setSystemTime(new Date(nextDay.getTime() + 10 * 60 * 60 * 1000));
      await user.click(createButton());
      expect(fieldOf('Expiration date').findError()?.getElement()).toHaveTextContent('Choose a date after today');
      expect(bodies).toEqual([]);
    });
  });

  it('disables past days and days beyond a year on the calendar', async () => {
    const { user } = await openCreatePage();
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    // The calendar opens on the default date, the last day allowed.
    expect(await screen.findByRole('button', { name: longDate(localDay({ years: 1 })) })).toBeEnabled();
    const dayAfter = screen.queryByRole('button', { name: longDate(localDay({ years: 1, days: 1 })) });
    if (dayAfter) expect(dayAfter).toBeDisabled();
    expect(screen.getByRole('button', { name: /next month/i })).toHaveAttribute('aria-disabled', 'true');

    await user.clear(customDateInput());
    await user.type(customDateInput(), typedDate(localDay({ days: 1 })));
    expect(await screen.findByRole('button', { name: longDate(localDay({ days: 1 })) })).toBeEnabled();
    const today = screen.queryByRole('button', { name: longDate(localDay({})) });
    if (today) expect(today).toBeDisabled();
  });

  it('says a name is too long as soon as it is, before any submit, counting an emoji as one', async () => {
    const { user } = await openCreatePage();
    await user.click(nameInput());
    await user.paste('👩‍💻'.repeat(100));
    expect(fieldOf('PAT name').findConstraint()?.getElement()).toHaveTextContent('100/100 characters.');
    expect(fieldOf('PAT name').findError()).toBeNull();
    await user.paste('x');
    expect(fieldOf('PAT name').findError()?.getElement()).toHaveTextContent('at most 100 characters; it has 101');
  });

  it('requires a name of at most 100 characters, counting as the user types', async () => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.click(createButton());
    expect(fieldOf('PAT name').findError()?.getElement()).toHaveTextContent('Enter a name for the PAT.');

    await user.click(nameInput());
    await user.paste('x'.repeat(101));
    expect(fieldOf('PAT name').findConstraint()?.getElement()).toHaveTextContent('101/100 characters.');
    expect(fieldOf('PAT name').findError()?.getElement()).toHaveTextContent('at most 100 characters; it has 101');
    await user.click(createButton());
    expect(bodies).toEqual([]);

    await user.type(nameInput(), '{Backspace}');
    expect(fieldOf('PAT name').findError()).toBeNull();
  });

  it.each([
    ['a control character', 'evil\u001b[31m', 'U+001B'],
    ['a tab', 'a\tb', 'U+0009'],
    ['a text-direction override', 'invoice\u202Etxt.exe', 'U+202E'],
  ])('refuses a name with %s, next to the field, and sends nothing', async (_what, name, codePoint) => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.click(nameInput());
    await user.paste(name);
    await user.click(createButton());
    expect(fieldOf('PAT name').findError()?.getElement()).toHaveTextContent(
      `The name can't contain control, line-break or text-direction characters (it has ${codePoint}).`,
    );
    expect(nameInput()).toHaveValue(name);
    expect(bodies).toEqual([]);
  });

  it('refuses a name of invisible characters or with nothing visible, counts emoji as one character each, and sends names in NFC', async () => {
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.click(nameInput());
    await user.paste('\u200B\u200B');
    await user.click(createButton());
    expect(fieldOf('PAT name').findError()?.getElement()).toHaveTextContent(
      "The name can't contain characters that show nothing, such as zero-width spaces (it has U+200B).",
    );
    await user.clear(nameInput());
    await user.paste('\u2800');
    expect(fieldOf('PAT name').findError()?.getElement()).toHaveTextContent(
      'The name needs at least one visible letter, digit, punctuation mark or symbol.',
    );

    await user.clear(nameInput());
    await user.paste('😀'.repeat(51));
    expect(fieldOf('PAT name').findConstraint()?.getElement()).toHaveTextContent('51/100 characters.');
    await user.clear(nameInput());
    await user.paste('Cafe\u0301');
    await user.click(createButton());
    await screen.findByRole('dialog');
    expect(bodies.map((body) => body.name)).toEqual(['Caf\u00e9']);
  });

  it('offers the longest lifetime the server allows, not a fixed year', async () => {
    mockBackend.setMaxTokenLifetimeYears(2);
    const bodies = recordCreates();
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'long-lived');
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    const expiryField = fieldOf('Expiration date');
    expect(expiryField.findConstraint()?.getElement()).toHaveTextContent('the longest a PAT can live is 2 years');
    await user.clear(customDateInput());
    await user.type(customDateInput(), typedDate(localDay({ years: 2, days: 1 })));
    await user.click(createButton());
    expect(expiryField.findError()?.getElement()).toHaveTextContent('A PAT can live 2 years at most');
    expect(bodies).toEqual([]);
    const eighteenMonths = localDay({ years: 1, days: 180 });
    await user.clear(customDateInput());
    await user.type(customDateInput(), typedDate(eighteenMonths));
    expect(expiryField.findError()).toBeNull();
    await user.click(createButton());
    await screen.findByRole('dialog');
    expect(bodies).toEqual([{ name: 'long-lived', expiresTime: eighteenMonths.toISOString(), access: GIT_PASSWORD_ACCESS }]);
  });

  it('warns, without blocking, when another token has the same name', async () => {
    mockBackend.add('Laptop', new Date(Date.now() + 30 * 24 * 60 * 60 * 1000));
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'laptop');
    await waitFor(() =>
      expect(fieldOf('PAT name').findWarning()?.getElement()).toHaveTextContent('You already have a PAT with this name.'),
    );
    await user.click(createButton());
    expect(await screen.findByRole('dialog')).toBeVisible();
  });

  it.each([
    {
      what: 'a validation error about the name, next to the name',
      errorType: 'ValidationException',
      status: 400,
      message: 'name contains characters that are not allowed.',
      where: () => fieldOf('PAT name').findError()?.getElement(),
    },
    {
      what: 'the quota of 100 tokens, on the form',
      errorType: 'ServiceQuotaExceededException',
      status: 402,
      message: 'Quota exceeded',
      where: () => createWrapper().findForm()?.findError()?.getElement(),
      shown: 'You already have 100 PATs, the most allowed.',
    },
    {
      what: 'throttling, with the seconds the service asked to wait',
      errorType: 'ThrottlingException',
      status: 429,
      message: 'Too many personal access tokens created in the last minute.',
      retryAfter: '42',
      where: () => createWrapper().findForm()?.findError()?.getElement(),
      shown: 'Too many personal access tokens created in the last minute. Try again in 42 seconds.',
    },
  ])('shows $what, keeping what was typed', async ({ errorType, status, message, where, shown, retryAfter }) => {
    mockServer.use(
      http.put(PATHS.accessTokens, () =>
        HttpResponse.json(
          { message },
          { status, headers: { [ERROR_TYPE_HEADER]: errorType, ...(retryAfter ? { 'retry-after': retryAfter } : {}) } },
        ),
      ),
    );
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'keep me');
    await user.click(screen.getByRole('radio', { name: '60 days' }));
    await user.click(createButton());

    await waitFor(() => expect(where()).toHaveTextContent(shown ?? message));
    expect(nameInput()).toHaveValue('keep me');
    expect(screen.getByRole('radio', { name: '60 days' })).toBeChecked();
    expect(createButton()).toBeEnabled();
  });

  it('says so when the service cannot be reached, and a second try works', async () => {
    mockServer.use(http.put(PATHS.accessTokens, () => HttpResponse.error(), { once: true }));
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'offline');
    await user.click(createButton());
    await waitFor(() =>
      expect(createWrapper().findForm()?.findError()?.getElement()).toHaveTextContent(
        'The PAT was not created: the service could not be reached, and no PAT named “offline” is in your list.',
      ),
    );
    expect(nameInput()).toHaveValue('offline');
    await user.click(createButton());
    expect(await screen.findByRole('dialog')).toBeVisible();
  });

  it('while the list cannot be had either, links to My settings and keeps checking, then says the PAT was not created', async () => {
    const { user } = await openCreatePage();
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      mockServer.use(http.put(PATHS.accessTokens, () => HttpResponse.error(), { once: true }));
      await user.type(nameInput(), 'refused');
      // The server is down: the list does not come either.
      mockServer.use(http.post(PATHS.accessTokens, () => HttpResponse.error()));
      await user.click(createButton());
      const formError = () => createWrapper().findForm()?.findError()?.getElement();
      await waitFor(() => expect(formError()).toHaveTextContent('whether “refused” was created cannot be checked yet'));
      expect(within(formError()!).getByRole('link', { name: 'My settings' })).toHaveAttribute('href', '/settings');
      // The server is back: the next check tells.
      mockServer.resetHandlers();
      await vi.advanceTimersByTimeAsync(UNCERTAIN_RECHECK_MS);
      await waitFor(() => expect(formError()).toHaveTextContent('The PAT was not created: the service could not be reached, and no PAT named “refused” is in your list.'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('when the answer to a create is lost, checks the list and points at the PAT the service made', async () => {
    const bodies = recordCreates();
    mockServer.use(
      http.put(
        PATHS.accessTokens,
        () => {
          // The service creates the token; the answer never reaches the browser.
          mockBackend.add('lost-answer', new Date(Date.now() + 30 * 24 * 60 * 60 * 1000));
          return HttpResponse.error();
        },
        { once: true },
      ),
    );
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'lost-answer');
    await user.click(createButton());
    await waitFor(() =>
      expect(createWrapper().findForm()?.findError()?.getElement()).toHaveTextContent(
        'The answer was lost, but the service did create a PAT named “lost-answer”.',
      ),
    );
    expect(createWrapper().findForm()?.findError()?.getElement()).not.toHaveTextContent('was not created');
    expect(bodies).toHaveLength(1);
  });

  it('sends one request however fast Create is pressed', async () => {
    let calls = 0;
    mockServer.use(
      http.put(PATHS.accessTokens, async () => {
        calls += 1;
        await delay(150);
        return HttpResponse.json(
          { secret: 'pat_x', name: 'once', expiresTime: new Date(Date.now() + 1e9).toISOString(), accessTokenId: 'id-1' },
          { status: 201 },
        );
      }),
    );
    const { user } = await openCreatePage();
    await user.type(nameInput(), 'once');
    const button = createButton();
    await Promise.all([user.click(button), user.click(button), user.type(nameInput(), '{Enter}')]);
    await waitFor(() => expect(createButton()).toBeDisabled());
    await screen.findByRole('dialog');
    expect(calls).toBe(1);
  });

  it('Cancel returns to My settings without creating anything', async () => {
    const { user, router } = await openCreatePage();
    await user.type(nameInput(), 'never');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(router.pathname).toBe('/settings'));
    expect(mockBackend.list(new Date())).toEqual([]);
  });
});

describe('The one-time secret', () => {
  async function createToken(name = 'one-time') {
    const rendered = await openCreatePage();
    await rendered.user.type(nameInput(), name);
    await rendered.user.click(createButton());
    const dialog = await screen.findByRole('dialog');
    const secret = within(dialog).getByLabelText('PAT secret').textContent ?? '';
    return { ...rendered, dialog, secret };
  }

  it('shows a ready git push command for a PAT that may write, as Create gives by default', async () => {
    const { user, dialog } = await createToken();
    const command = 'git push http://marymajor@localhost:3000/git/marymajor/REPOSITORY.git HEAD';
    expect(within(dialog).getByText(command)).toBeVisible();
    expect(within(dialog).getByText(/A push to a new name creates a repository\. In the command below, replace REPOSITORY with a name\./)).toBeVisible();
    expect(within(dialog).queryByText(/As an API bearer token/)).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Copy the git push command' }));
    expect(await navigator.clipboard.readText()).toBe(command);
  });

  it('copies exactly the secret, then closes to My settings, and the secret is nowhere after', async () => {
    const { user, dialog, secret, router, queryClient } = await createToken();
    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(secret);
    expect(await screen.findByText('Copied')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(router.pathname).toBe('/settings'));
    await waitFor(() => expect(flashMessages()).toEqual(['PAT one-time created.']));
    await screen.findByRole('rowheader', { name: 'one-time' });
    // Focus lands on the new token's row, not on the page's body.
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Select one-time' })).toHaveFocus());

    expect(document.body.innerHTML).not.toContain(secret);
    expect(window.location.search + window.location.hash).not.toContain(secret);
    expect(JSON.stringify(window.history.state)).not.toContain(secret);
    expect(JSON.stringify({ ...localStorage })).not.toContain(secret);
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(secret);
    const cached = [
      ...queryClient.getQueryCache().getAll().map((query) => query.state.data),
      ...queryClient.getMutationCache().getAll().map((mutation) => mutation.state.data),
    ];
    expect(JSON.stringify(cached)).not.toContain(secret);
  });

  it('asks before closing when the secret was never copied', async () => {
    const { user, dialog, router } = await createToken();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(within(dialog).getByText("You haven't copied the secret")).toBeVisible();

    await user.click(within(dialog).getByRole('button', { name: 'Keep the secret open' }));
    expect(within(dialog).queryByText("You haven't copied the secret")).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await user.click(within(dialog).getByRole('button', { name: 'Close without copying' }));
    await waitFor(() => expect(router.pathname).toBe('/settings'));
  });

  it('starts on Copy, and after a copy Escape closes the dialog at once', async () => {
    const { user, dialog, router } = await createToken();
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Copy' })).toHaveFocus());
    await user.keyboard('{Enter}');
    expect(await screen.findByText('Copied')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(router.pathname).toBe('/settings'));
  });

  it('counts a copy by hand of the whole secret, and not of a part of it', async () => {
    const { user, dialog, router } = await createToken();
    const shown = within(dialog).getByLabelText('PAT secret');
    const copySelection = (from: number, to: number) => {
      const text = shown.firstChild!;
      document.getSelection()!.setBaseAndExtent(text, from, text, to);
      document.dispatchEvent(new Event('copy', { bubbles: true }));
    };
    act(() => copySelection(0, 10));
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(within(dialog).getByText("You haven't copied the secret")).toBeVisible();

    act(() => copySelection(0, shown.textContent!.length));
    expect(within(dialog).queryByText("You haven't copied the secret")).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(router.pathname).toBe('/settings'));
  });

  it('says how to copy by hand when the clipboard is unavailable', async () => {
    const { user, dialog } = await createToken();
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(await within(dialog).findByText(/The clipboard is unavailable here/)).toBeVisible();
  });

  describe('leaving before the secret is safe', () => {
    async function createFromSettings(name = 'guarded') {
      const rendered = renderApp('/settings/tokens/create', { from: ['/settings'] });
      await screen.findByRole('textbox', { name: 'PAT name' });
      await rendered.user.type(nameInput(), name);
      await rendered.user.click(createButton());
      const dialog = await screen.findByRole('dialog');
      return { ...rendered, dialog };
    }

    const leaveSite = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };

    it('holds Back while the secret is not copied, and asks', async () => {
      const { router, dialog, user } = await createFromSettings();
      await act(() => router.back());
      expect(router.pathname).toBe('/settings/tokens/create');
      expect(within(dialog).getByText("You haven't copied the secret")).toBeVisible();
      await user.click(within(dialog).getByRole('button', { name: 'Keep the secret open' }));
      expect(within(dialog).queryByText("You haven't copied the secret")).not.toBeInTheDocument();
      expect(within(dialog).getByLabelText('PAT secret')).toHaveTextContent(SECRET_PATTERN);

      await act(() => router.navigate('/settings'));
      await user.click(within(dialog).getByRole('button', { name: 'Leave without copying' }));
      await waitFor(() => expect(router.pathname).toBe('/settings'));
    });

    it('asks the browser to confirm a reload or a closed tab until the secret is copied', async () => {
      const { dialog, user } = await createFromSettings();
      expect(leaveSite()).toBe(true);
      await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
      await waitFor(() => expect(leaveSite()).toBe(false));
    });

    it('lets Back through once the secret is copied', async () => {
      const { router, dialog, user } = await createFromSettings();
      await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
      await act(() => router.back());
      await waitFor(() => expect(router.pathname).toBe('/settings'));
    });

    it('holds Back while the create request is in flight, and shows the secret when it arrives', async () => {
      let answer: () => void = () => undefined;
      const answered = new Promise<void>((resolve) => {
        answer = resolve;
      });
      mockServer.use(
        http.put(PATHS.accessTokens, async () => {
          await answered;
          return undefined;
        }),
      );
      const { router, user } = renderApp('/settings/tokens/create', { from: ['/settings'] });
      await user.type(await screen.findByRole('textbox', { name: 'PAT name' }), 'in-flight');
      await user.click(createButton());
      expect(leaveSite()).toBe(true);
      await act(() => router.back());
      const question = await screen.findByRole('dialog', { name: 'Leave while your PAT is being created?' });
      await user.click(within(question).getByRole('button', { name: 'Stay' }));
      expect(router.pathname).toBe('/settings/tokens/create');
      answer();
      const dialog = await screen.findByRole('dialog', { name: 'Copy your PAT secret' });
      expect(within(dialog).getByLabelText('PAT secret')).toHaveTextContent(SECRET_PATTERN);
    });

    it('asks before Cancel leaves a create in flight', async () => {
      mockServer.use(http.put(PATHS.accessTokens, () => delay('infinite')));
      const { router, user } = renderApp('/settings/tokens/create', { from: ['/settings'] });
      await user.type(await screen.findByRole('textbox', { name: 'PAT name' }), 'in-flight');
      await user.click(createButton());
      await user.click(screen.getByRole('button', { name: 'Cancel' }));
      const question = await screen.findByRole('dialog', { name: 'Leave while your PAT is being created?' });
      await user.click(within(question).getByRole('button', { name: 'Leave anyway' }));
      await waitFor(() => expect(router.pathname).toBe('/settings'));
    });
  });
});
