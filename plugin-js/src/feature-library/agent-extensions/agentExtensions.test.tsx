// The "Agent Extensions" supervisor view with the REAL wasm core (table, validation, diff in WASM) and an
// in-memory ExtensionsApi standing in for flexcore-server (the routes themselves are tested in tests/server).
import './textEncodingForJsdom';
import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as Flex from '@twilio/flex-ui';
import { loadCore, resetCore, type FlexCore, type StoredExtensionRow } from 'flexcore';

import { publishExtensions, serverApi, ServerError, type ExtensionsApi } from './api';
import { AgentExtensionsView, MESSAGES } from './custom-components/AgentExtensionsView';
import { addAgentExtensionsSideLink, onlyAgent } from './flex-hooks/setup/SideNav';
import { addAgentExtensionsView, VIEW_NAME } from './flex-hooks/setup/ViewCollection';
import { forgetLoadedCore } from '../../core/useCore';

const flexMock = Flex as unknown as {
  ViewCollection: { Content: { fragments: { key: string; element: React.ReactElement }[] } };
  SideNav: { Content: { fragments: { key: string; element: React.ReactElement; options: { sortOrder?: number } }[] } };
  __manager: { user: { roles: string[]; token: string } };
  __resetFlexMock: () => void;
};

const wk = (n: number) => `WK${n.toString(16).padStart(32, '0')}`;
const stored = (n: number, name: string, number: string): StoredExtensionRow => ({
  workerSid: wk(n), workerFullName: name, extensionNumber: number, updatedBy: 'sam', updatedAt: '2026-01-01T00:00:00.000Z',
});

/** An in-memory server: draft + published rows, one version, scripted build statuses. */
function memoryApi(draft: StoredExtensionRow[], published: StoredExtensionRow[] = [], overrides: Partial<ExtensionsApi> = {}) {
  const state = { draft: [...draft], data: [...published], version: 'ZN1', versionIsDeployed: true };
  const api: jest.Mocked<ExtensionsApi> = {
    list: jest.fn(async () => ({ ...state, draft: [...state.draft], data: [...state.data] })),
    save: jest.fn(async (action, entry) => {
      const row = { ...stored(0, '', ''), ...entry, updatedBy: 'sam.supervisor' } as StoredExtensionRow;
      state.draft = state.draft.filter((r) => r.workerSid !== entry.workerSid);
      if (action !== 'delete') state.draft.push(row);
      return row;
    }),
    update: jest.fn(async () => ({ buildSid: 'ZB1' })),
    status: jest.fn(async () => 'completed' as const),
    publish: jest.fn(async () => {
      state.data = [...state.draft];
    }),
    ...overrides,
  } as jest.Mocked<ExtensionsApi>;
  return { api, state };
}

let core: FlexCore;
beforeAll(async () => {
  core = await loadCore();
}, 20000);
afterAll(() => {
  forgetLoadedCore();
  resetCore();
});
beforeEach(() => flexMock.__resetFlexMock());

const noWait = () => Promise.resolve();

describe('flex hooks', () => {
  it('adds the view to the ViewCollection and the side link only for users who are not only agents', () => {
    const manager = flexMock.__manager as never;
    addAgentExtensionsView(Flex as never, manager, { serverUrl: 'http://127.0.0.1:1' } as never);
    expect(flexMock.ViewCollection.Content.fragments.map((f) => f.key)).toEqual([VIEW_NAME]);

    flexMock.__manager.user.roles = ['agent'];
    addAgentExtensionsSideLink(Flex as never, manager);
    expect(flexMock.SideNav.Content.fragments).toHaveLength(0);
    flexMock.__manager.user.roles = ['agent', 'supervisor'];
    addAgentExtensionsSideLink(Flex as never, manager);
    expect(flexMock.SideNav.Content.fragments).toHaveLength(1);
    expect(flexMock.SideNav.Content.fragments[0].options.sortOrder).toBe(100);
    flexMock.__manager.user.roles = ['agent'];
    expect(onlyAgent(['agent'])).toBe(true);
    expect(onlyAgent(['admin'])).toBe(false);
    expect(onlyAgent([])).toBe(true);
  });
});

describe('AgentExtensionsView', () => {
  it('pages, filters and sorts more than 50 rows through the core', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => stored(i + 1, `Agent ${String(60 - i).padStart(2, '0')}`, String(1000 + i)));
    const { api } = memoryApi(rows, rows);
    render(<AgentExtensionsView core={core} api={api} wait={noWait} />);
    await screen.findByTestId('agent-extensions-table');
    expect(screen.getAllByTestId('agent-extensions-row')).toHaveLength(50);
    expect(screen.getByTestId('agent-extensions-page')).toHaveTextContent('Page 1 of 2 (60 extensions)');
    fireEvent.click(screen.getByTestId('agent-extensions-next'));
    expect(screen.getAllByTestId('agent-extensions-row')).toHaveLength(10);

    fireEvent.change(screen.getByTestId('agent-extensions-page-size'), { target: { value: '10' } });
    expect(screen.getByTestId('agent-extensions-page')).toHaveTextContent('Page 1 of 6 (60 extensions)');

    fireEvent.click(screen.getByTestId('agent-extensions-sort-workerFullName'));
    expect(within(screen.getAllByTestId('agent-extensions-row')[0]).getByText('Agent 01')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('agent-extensions-sort-workerFullName'));
    expect(within(screen.getAllByTestId('agent-extensions-row')[0]).getByText('Agent 60')).toBeInTheDocument();

    fireEvent.change(screen.getByTestId('agent-extensions-filter'), { target: { value: 'agent 1' } });
    expect(screen.getByTestId('agent-extensions-page')).toHaveTextContent('(10 extensions)');
    fireEvent.change(screen.getByTestId('agent-extensions-filter'), { target: { value: 'nobody' } });
    expect(screen.getByText('No extension matches the filter.')).toBeInTheDocument();
    // Nothing changed against the published set: Publish is disabled.
    expect(screen.getByTestId('agent-extensions-publish')).toBeDisabled();
  });

  it('shows the core validation inline and saves the normalised row', async () => {
    const { api } = memoryApi([stored(1, 'Jane', '100')], [stored(1, 'Jane', '100')]);
    render(<AgentExtensionsView core={core} api={api} wait={noWait} />);
    await screen.findByTestId('agent-extensions-table');
    fireEvent.click(screen.getByTestId('agent-extensions-add'));
    fireEvent.change(screen.getByTestId('agent-extensions-worker'), { target: { value: wk(2) } });
    fireEvent.change(screen.getByTestId('agent-extensions-name'), { target: { value: 'John' } });
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: '1e3' } });
    expect(screen.getByTestId('agent-extensions-problem-extensionNumber')).toHaveTextContent('An extension has only the digits 0-9 (found e).');
    expect(screen.getByTestId('agent-extensions-save')).toBeDisabled();
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: '100' } });
    expect(screen.getByTestId('agent-extensions-problem-extensionNumber')).toHaveTextContent(wk(1));
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: ' 0200 ' } });
    expect(screen.getByTestId('agent-extensions-problem-extensionNumber')).toBeEmptyDOMElement();
    fireEvent.click(screen.getByTestId('agent-extensions-save'));
    await waitFor(() => expect(screen.queryByTestId('agent-extensions-panel')).toBeNull());
    expect(api.save).toHaveBeenCalledWith('create', expect.objectContaining({ workerSid: wk(2), workerFullName: 'John', extensionNumber: '0200' }));
    expect(await screen.findByText('0200')).toBeInTheDocument();
    expect(screen.getByTestId('agent-extensions-unpublished')).toHaveTextContent('1 added, 0 changed, 0 removed');
  });

  it('shows the server 409 in the panel', async () => {
    const { api } = memoryApi([], [], {
      save: jest.fn(async () => {
        throw new ServerError(409, 'AlreadyExists', 'x', [{ field: 'extensionNumber', message: 'extension 5 is already assigned to WKother', code: 'AlreadyExists' }]);
      }),
    });
    render(<AgentExtensionsView core={core} api={api} wait={noWait} />);
    fireEvent.click(await screen.findByTestId('agent-extensions-add'));
    fireEvent.change(screen.getByTestId('agent-extensions-worker'), { target: { value: wk(2) } });
    fireEvent.change(screen.getByTestId('agent-extensions-name'), { target: { value: 'John' } });
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('agent-extensions-save'));
    expect(await screen.findByTestId('agent-extensions-server-problem')).toHaveTextContent('extension 5 is already assigned to WKother');
  });

  it('deletes only after confirmation', async () => {
    const { api } = memoryApi([stored(1, 'Jane', '100')]);
    const confirm = jest.fn(() => false);
    render(<AgentExtensionsView core={core} api={api} wait={noWait} confirm={confirm} />);
    fireEvent.click(await screen.findByTestId('agent-extensions-delete'));
    expect(confirm).toHaveBeenCalledWith('Delete extension 100 of Jane?');
    expect(api.save).not.toHaveBeenCalled();
    confirm.mockReturnValue(true);
    fireEvent.click(screen.getByTestId('agent-extensions-delete'));
    expect(await screen.findByText(MESSAGES.empty)).toBeInTheDocument();
    expect(api.save).toHaveBeenCalledWith('delete', { workerSid: wk(1) });
  });

  it('publishes with progress, then shows the conflict message on a 409', async () => {
    const { api } = memoryApi([stored(1, 'Jane', '100')], []);
    render(<AgentExtensionsView core={core} api={api} wait={noWait} />);
    const publish = await screen.findByTestId('agent-extensions-publish');
    expect(publish).toBeEnabled();
    fireEvent.click(publish);
    expect(await screen.findByTestId('agent-extensions-notice')).toHaveTextContent(MESSAGES.published);
    expect(api.update).toHaveBeenCalledWith([stored(1, 'Jane', '100')], 'ZN1');
    expect(api.publish).toHaveBeenCalledWith('ZB1');
    await waitFor(() => expect(screen.getByTestId('agent-extensions-publish')).toBeDisabled());

    fireEvent.click(screen.getByTestId('agent-extensions-add'));
    fireEvent.change(screen.getByTestId('agent-extensions-worker'), { target: { value: wk(3) } });
    fireEvent.change(screen.getByTestId('agent-extensions-name'), { target: { value: 'Zed' } });
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: '300' } });
    fireEvent.click(screen.getByTestId('agent-extensions-save'));
    await waitFor(() => expect(screen.getByTestId('agent-extensions-publish')).toBeEnabled());
    api.update.mockRejectedValueOnce(new ServerError(409, 'Conflict', 'Provided version SID is not the latest deployed asset version SID'));
    fireEvent.click(screen.getByTestId('agent-extensions-publish'));
    expect(await screen.findByTestId('agent-extensions-notice')).toHaveTextContent(MESSAGES.conflict);
  });

  it('warns when another publish is in progress', async () => {
    const { api, state } = memoryApi([]);
    state.versionIsDeployed = false;
    render(<AgentExtensionsView core={core} api={api} wait={noWait} />);
    expect(await screen.findByTestId('agent-extensions-version')).toHaveTextContent(MESSAGES.publishInProgress);
  });

  it('loads 10,000 extensions', async () => {
    const rows = Array.from({ length: 10000 }, (_, i) => stored(i + 1, `Agent ${i}`, String(100000 + i)));
    const { api } = memoryApi(rows, rows);
    render(<AgentExtensionsView core={core} api={api} wait={noWait} />);
    expect(await screen.findByTestId('agent-extensions-page')).toHaveTextContent('Page 1 of 200 (10000 extensions)');
  });
});

describe('publishExtensions and serverApi', () => {
  it('gives up after 60 status polls and reports a failed build', async () => {
    const { api } = memoryApi([], [], { status: jest.fn(async () => 'building' as const) });
    const waits: number[] = [];
    const outcome = await publishExtensions(api, [], 'ZN1', { wait: async (ms) => void waits.push(ms) });
    expect(outcome).toEqual({ result: 'failed', message: 'the build did not complete after 60 status checks' });
    expect(api.status).toHaveBeenCalledTimes(60);
    expect(waits).toHaveLength(59);
    expect(api.publish).not.toHaveBeenCalled();
    api.status.mockResolvedValueOnce('failed');
    expect(await publishExtensions(api, [], 'ZN1', { wait: noWait })).toEqual({ result: 'failed', message: 'the build failed' });
  });

  it('posts JSON with the Flex token and turns error answers into ServerErrors', async () => {
    const calls: { url: string; body: unknown }[] = [];
    const fetchImpl = jest.fn(async (url: string, init: { body: string }) => {
      calls.push({ url, body: JSON.parse(init.body) });
      if (url.endsWith('/admin/update')) {
        return { ok: false, status: 409, text: async () => JSON.stringify({ error: 'Provided version SID is not the latest deployed asset version SID', code: 'Conflict' }) };
      }
      return { ok: true, status: 200, text: async () => JSON.stringify({ buildStatus: 'completed' }) };
    });
    const api = serverApi('http://127.0.0.1:9', () => 'tok', fetchImpl);
    await expect(api.status('ZB1')).resolves.toBe('completed');
    expect(calls[0]).toEqual({ url: 'http://127.0.0.1:9/admin/update-status', body: { buildSid: 'ZB1', Token: 'tok' } });
    const error = await api.update([stored(1, 'A', '1')], 'ZN1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(409);
    expect(calls[1].body).toEqual({ data: [{ workerSid: wk(1), workerFullName: 'A', extensionNumber: '1' }], version: 'ZN1', Token: 'tok' });
  });
});

// Unused import guard for act (React 17 testing-library re-exports it).
void act;
