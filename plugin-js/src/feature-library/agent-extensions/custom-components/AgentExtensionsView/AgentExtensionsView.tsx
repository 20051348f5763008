import React, { useCallback, useEffect, useMemo, useState } from 'react';
import type { ExtensionColumn, ExtensionProblem, FlexCore, StoredExtensionRow } from 'flexcore';

import { publishExtensions, ServerError, type ExtensionsApi, type PublishStep } from '../../api';

/** Messages of the view (seed-behaviour 3.5 strings where the seed had them). */
export const MESSAGES = {
  conflict: 'Agent extensions were updated by someone else and cannot be published. Please reload and try again.',
  publishInProgress: 'Another agent extension publish is in progress. Publishing now will overwrite other changes.',
  unpublished: 'There are unpublished Agent extensions. Please publish them to allow your customers to use them in the IVR!',
  failed: 'Agent extensions publish failed.',
  empty: 'There are no configured Agent extensions!',
  published: 'Agent extensions published.',
} as const;

/** Props of {@link AgentExtensionsView}. */
export interface AgentExtensionsViewProps {
  core: FlexCore;
  api: ExtensionsApi;
  /** Sleeps between build status polls (ms); default setTimeout. */
  wait?: (ms: number) => Promise<void>;
  /** Asks before a delete; default window.confirm. */
  confirm?: (question: string) => boolean;
}

const COLUMNS: { key: ExtensionColumn; label: string }[] = [
  { key: 'workerFullName', label: 'Agent Name' },
  { key: 'extensionNumber', label: 'Extension' },
  { key: 'workerSid', label: 'Worker SID' },
  { key: 'updatedBy', label: 'Updated by' },
  { key: 'updatedAt', label: 'Updated at' },
];
const PAGE_SIZES = [10, 25, 50, 100];

interface Editing {
  mode: 'create' | 'update';
  workerSid: string;
  workerFullName: string;
  extensionNumber: string;
}

const defaultWait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The supervisor view "Agent Extensions": the draft table (filter, sort, page — all through the core's
 * ExtensionTable held in WASM), add/edit side panel with inline validation (core validateExtension), delete
 * with confirmation, and Publish (enabled when core diffExtensions finds changes) with a progress indicator.
 */
export function AgentExtensionsView({ core, api, wait = defaultWait, confirm = (q) => window.confirm(q) }: AgentExtensionsViewProps): JSX.Element {
  const [list, setList] = useState<{ data: StoredExtensionRow[]; draft: StoredExtensionRow[]; version: string; versionIsDeployed: boolean }>();
  const [loadError, setLoadError] = useState<string>();
  const [filter, setFilter] = useState('');
  const [sortBy, setSortBy] = useState<ExtensionColumn | ''>('');
  const [sortDir, setSortDir] = useState<'asc' | 'desc'>('asc');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [editing, setEditing] = useState<Editing>();
  const [serverProblems, setServerProblems] = useState<string[]>([]);
  const [publishing, setPublishing] = useState<{ step: PublishStep; poll: number }>();
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string }>();

  const reload = useCallback(async () => {
    try {
      setList(await api.list());
      setLoadError(undefined);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : String(error));
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  // The draft rows live in the core (load once per change of the draft, query on every table change).
  const table = useMemo(() => (list ? core.createExtensionTable(list.draft) : undefined), [core, list]);
  useEffect(() => () => table?.dispose(), [table]);
  const pageResult = useMemo(() => table?.query({ filter, sortBy, sortDir, page, pageSize }), [table, filter, sortBy, sortDir, page, pageSize]);
  const diff = useMemo(() => (list ? core.diffExtensions(list.draft, list.data) : undefined), [core, list]);
  const changes = diff ? diff.added.length + diff.changed.length + diff.removed.length : 0;

  const validation = useMemo(() => {
    if (!editing || !list) return undefined;
    return core.validateExtension(
      { workerSid: editing.workerSid, workerFullName: editing.workerFullName, extensionNumber: editing.extensionNumber },
      list.draft,
    );
  }, [core, editing, list]);
  const problemFor = (field: ExtensionProblem['field']) => validation?.problems.find((p) => p.field === field)?.message;
  const workers = useMemo(() => {
    const known = new Map<string, string>();
    for (const row of [...(list?.data ?? []), ...(list?.draft ?? [])]) known.set(row.workerSid, row.workerFullName);
    return Array.from(known.entries());
  }, [list]);

  const sortOn = (column: ExtensionColumn) => {
    if (sortBy === column) setSortDir(sortDir === 'asc' ? 'desc' : 'asc');
    else {
      setSortBy(column);
      setSortDir('asc');
    }
    setPage(1);
  };

  const save = async () => {
    if (!editing || !validation || validation.problems.length > 0) return;
    try {
      await api.save(editing.mode, validation.entry);
      setEditing(undefined);
      setServerProblems([]);
      await reload();
    } catch (error) {
      if (error instanceof ServerError) {
        setServerProblems(error.problems.length ? error.problems.map((p) => p.message) : [error.message]);
      } else setServerProblems([String(error)]);
    }
  };

  const remove = async (row: StoredExtensionRow) => {
    if (!confirm(`Delete extension ${row.extensionNumber} of ${row.workerFullName}?`)) return;
    try {
      await api.save('delete', { workerSid: row.workerSid });
      await reload();
    } catch (error) {
      setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };

  const publish = async () => {
    if (!list) return;
    setNotice(undefined);
    const outcome = await publishExtensions(api, list.draft, list.version, { wait, onStep: (step, poll) => setPublishing({ step, poll }) });
    setPublishing(undefined);
    if (outcome.result === 'published') {
      setNotice({ kind: 'success', text: MESSAGES.published });
      await reload();
    } else if (outcome.result === 'conflict') setNotice({ kind: 'error', text: MESSAGES.conflict });
    else setNotice({ kind: 'error', text: `${MESSAGES.failed} (${outcome.message})` });
  };

  if (loadError && !list) {
    return (
      <div className="flexcore-agent-extensions" data-testid="agent-extensions-error">
        Agent extensions could not be loaded: {loadError}{' '}
        <button type="button" onClick={() => void reload()}>
          Retry
        </button>
      </div>
    );
  }
  if (!list || !pageResult) return <div data-testid="agent-extensions-loading">Loading...</div>;

  return (
    <div className="flexcore-agent-extensions" data-testid="agent-extensions-view" style={{ padding: 16, overflow: 'auto', height: '100%' }}>
      <h1>Agent Extensions</h1>
      <div role="status" data-testid="agent-extensions-version">
        {list.versionIsDeployed ? 'Current version deployed' : MESSAGES.publishInProgress}
      </div>
      {changes > 0 ? (
        <div role="alert" data-testid="agent-extensions-unpublished">
          {MESSAGES.unpublished} ({diff?.added.length} added, {diff?.changed.length} changed, {diff?.removed.length} removed)
        </div>
      ) : null}
      {notice ? (
        <div role="alert" data-testid="agent-extensions-notice" data-kind={notice.kind}>
          {notice.text}
        </div>
      ) : null}
      <div style={{ display: 'flex', gap: 8, margin: '8px 0' }}>
        <button type="button" data-testid="agent-extensions-add" onClick={() => {
          setServerProblems([]);
          setEditing({ mode: 'create', workerSid: '', workerFullName: '', extensionNumber: '' });
        }}>
          Add New Extension
        </button>
        <button type="button" data-testid="agent-extensions-publish" disabled={changes === 0 || publishing !== undefined} onClick={() => void publish()}>
          Publish Extensions
        </button>
        {publishing ? (
          <span role="progressbar" data-testid="agent-extensions-progress" data-step={publishing.step}>
            {publishing.step === 'update' ? 'Saving…' : publishing.step === 'building' ? `Building (check ${publishing.poll})…` : 'Publishing…'}
          </span>
        ) : null}
        <input
          aria-label="Filter"
          placeholder="Filter by name, extension or Worker SID"
          data-testid="agent-extensions-filter"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(1);
          }}
        />
      </div>
      <table data-testid="agent-extensions-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} aria-sort={sortBy === c.key ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" data-testid={`agent-extensions-sort-${c.key}`} onClick={() => sortOn(c.key)}>
                  {c.label}
                  {sortBy === c.key ? (sortDir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {pageResult.items.length === 0 ? (
            <tr>
              <td colSpan={6}>{list.draft.length === 0 ? MESSAGES.empty : 'No extension matches the filter.'}</td>
            </tr>
          ) : (
            pageResult.items.map((row) => (
              <tr key={row.workerSid} data-testid="agent-extensions-row" data-worker-sid={row.workerSid}>
                <td>{row.workerFullName}</td>
                <td>{row.extensionNumber}</td>
                <td>{row.workerSid}</td>
                <td>{row.updatedBy}</td>
                <td>{row.updatedAt}</td>
                <td>
                  <button type="button" aria-label={`Edit ${row.workerFullName}`} data-testid="agent-extensions-edit" onClick={() => {
                    setServerProblems([]);
                    setEditing({ mode: 'update', workerSid: row.workerSid, workerFullName: row.workerFullName, extensionNumber: row.extensionNumber });
                  }}>
                    Edit
                  </button>
                  <button type="button" aria-label={`Delete ${row.workerFullName}`} data-testid="agent-extensions-delete" onClick={() => void remove(row)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 8 }} data-testid="agent-extensions-pager">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} data-testid="agent-extensions-prev">
          Previous
        </button>
        <span data-testid="agent-extensions-page">
          Page {pageResult.pageCount === 0 ? 0 : page} of {pageResult.pageCount} ({pageResult.total} extensions)
        </span>
        <button type="button" disabled={page >= pageResult.pageCount} onClick={() => setPage(page + 1)} data-testid="agent-extensions-next">
          Next
        </button>
        <label>
          Rows per page{' '}
          <select aria-label="Rows per page" data-testid="agent-extensions-page-size" value={pageSize} onChange={(e) => {
            setPageSize(Number(e.target.value));
            setPage(1);
          }}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {editing ? (
        <aside aria-label="Extension editor" data-testid="agent-extensions-panel" style={{ position: 'fixed', right: 0, top: 0, bottom: 0, width: 360, background: '#fff', padding: 16, boxShadow: '0 0 8px #0003' }}>
          <h2>{editing.mode === 'create' ? 'Add New Extension' : 'Edit Extension'}</h2>
          <label>
            Worker
            <input
              list="flexcore-agent-extensions-workers"
              aria-label="Worker SID"
              data-testid="agent-extensions-worker"
              value={editing.workerSid}
              disabled={editing.mode === 'update'}
              onChange={(e) => {
                const sid = e.target.value.trim();
                const known = workers.find(([s]) => s === sid);
                setEditing({ ...editing, workerSid: sid, workerFullName: known && !editing.workerFullName ? known[1] : editing.workerFullName });
              }}
            />
            <datalist id="flexcore-agent-extensions-workers">
              {workers.map(([sid, name]) => (
                <option key={sid} value={sid}>
                  {name}
                </option>
              ))}
            </datalist>
          </label>
          <div role="alert" data-testid="agent-extensions-problem-workerSid">{editing.workerSid ? problemFor('workerSid') : null}</div>
          <label>
            Agent name
            <input aria-label="Agent name" data-testid="agent-extensions-name" value={editing.workerFullName} onChange={(e) => setEditing({ ...editing, workerFullName: e.target.value })} />
          </label>
          <div role="alert" data-testid="agent-extensions-problem-workerFullName">{editing.workerFullName ? problemFor('workerFullName') : null}</div>
          <label>
            Extension
            <input aria-label="Extension" inputMode="numeric" data-testid="agent-extensions-number" value={editing.extensionNumber} onChange={(e) => setEditing({ ...editing, extensionNumber: e.target.value })} />
          </label>
          <div role="alert" data-testid="agent-extensions-problem-extensionNumber">{editing.extensionNumber ? problemFor('extensionNumber') : null}</div>
          {serverProblems.map((p) => (
            <div role="alert" key={p} data-testid="agent-extensions-server-problem">
              {p}
            </div>
          ))}
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <button type="button" data-testid="agent-extensions-save" disabled={!validation || validation.problems.length > 0} onClick={() => void save()}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(undefined)}>
              Cancel
            </button>
          </div>
        </aside>
      ) : null}
    </div>
  );
}

export default AgentExtensionsView;
