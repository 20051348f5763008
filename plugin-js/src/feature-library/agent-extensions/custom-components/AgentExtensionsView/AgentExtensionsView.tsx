import React, { useCallback, useEffect, useMemo, useState } from 'react';
import type { ExtensionColumn, ExtensionProblem, FlexCore, StoredExtensionRow } from 'flexcore';

import { text } from '../../../../utils/strings';
import { publishExtensions, ServerError, type ExtensionsApi, type PublishStep } from '../../api';
import { StringTemplates } from '../../flex-hooks/strings';
import { reasonKeysFor } from '../../reasons';
import { problemText } from '../../../../utils/strings/problems';

/**
 * Messages of the view (seed-behaviour 3.5 strings where the seed had them), read from `manager.strings` in the
 * user's language each time (flex-hooks/strings).
 */
export const MESSAGES = {
  get conflict(): string {
    return text(StringTemplates.Conflict);
  },
  get publishInProgress(): string {
    return text(StringTemplates.PublishInProgress);
  },
  get unpublished(): string {
    return text(StringTemplates.Unpublished);
  },
  get failed(): string {
    return text(StringTemplates.PublishFailed);
  },
  get empty(): string {
    return text(StringTemplates.Empty);
  },
  get published(): string {
    return text(StringTemplates.Published);
  },
};

/** Props of {@link AgentExtensionsView}. */
export interface AgentExtensionsViewProps {
  core: FlexCore;
  api: ExtensionsApi;
  /** Sleeps between build status polls (ms); default setTimeout. */
  wait?: (ms: number) => Promise<void>;
  /** Asks before a delete; default window.confirm. */
  confirm?: (question: string) => boolean;
}

const COLUMNS: { key: ExtensionColumn; label: StringTemplates }[] = [
  { key: 'workerFullName', label: StringTemplates.ColumnAgentName },
  { key: 'extensionNumber', label: StringTemplates.ColumnExtension },
  { key: 'workerSid', label: StringTemplates.ColumnWorkerSid },
  { key: 'updatedBy', label: StringTemplates.ColumnUpdatedBy },
  { key: 'updatedAt', label: StringTemplates.ColumnUpdatedAt },
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
  const workers = useMemo(() => {
    const known = new Map<string, string>();
    for (const row of [...(list?.data ?? []), ...(list?.draft ?? [])]) known.set(row.workerSid, row.workerFullName);
    return Array.from(known.entries());
  }, [list]);
  // Every problem is said in the user's language from the core's reason (reasons.ts); a taken number also names
  // the worker who has it. An unknown reason (a newer core) shows the core's English message.
  const sayProblem = (problem: { field: string; message: string; reason?: string; params?: Readonly<Record<string, string>>; conflictingWorkerSid?: string }) => {
    const sid = problem.conflictingWorkerSid ?? problem.params?.conflictingWorkerSid;
    const name = (sid && workers.find(([s]) => s === sid)?.[1]) || problem.params?.conflictingWorkerName;
    const worker = sid ? (name ? `${name} (${sid})` : sid) : undefined;
    return problemText(reasonKeysFor(problem.field), problem, { number: problem.params?.extensionNumber, worker });
  };
  const problemFor = (field: ExtensionProblem['field']) => {
    const problem = validation?.problems.find((p) => p.field === field);
    return problem ? sayProblem(problem) : undefined;
  };

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
        setServerProblems(error.problems.length ? error.problems.map(sayProblem) : [error.message]);
      } else setServerProblems([String(error)]);
    }
  };

  const remove = async (row: StoredExtensionRow) => {
    if (!confirm(text(StringTemplates.DeleteConfirm, { number: row.extensionNumber, name: row.workerFullName }))) return;
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
    else setNotice({ kind: 'error', text: text(StringTemplates.PublishFailedWithReason, { reason: outcome.message }) });
  };

  if (loadError && !list) {
    return (
      <div className="flexcore-agent-extensions" data-testid="agent-extensions-error">
        {text(StringTemplates.LoadFailed, { message: loadError })}{' '}
        <button type="button" onClick={() => void reload()}>
          {text(StringTemplates.Retry)}
        </button>
      </div>
    );
  }
  if (!list || !pageResult) return <div data-testid="agent-extensions-loading">{text(StringTemplates.Loading)}</div>;

  return (
    <div className="flexcore-agent-extensions" data-testid="agent-extensions-view" style={{ padding: 16, overflow: 'auto', height: '100%' }}>
      <h1>{text(StringTemplates.Title)}</h1>
      <div role="status" data-testid="agent-extensions-version">
        {list.versionIsDeployed ? text(StringTemplates.CurrentVersionDeployed) : MESSAGES.publishInProgress}
      </div>
      {changes > 0 ? (
        <div role="alert" data-testid="agent-extensions-unpublished">
          {MESSAGES.unpublished}{' '}
          {text(StringTemplates.UnpublishedCounts, { added: diff?.added.length, changed: diff?.changed.length, removed: diff?.removed.length })}
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
          {text(StringTemplates.AddNew)}
        </button>
        <button type="button" data-testid="agent-extensions-publish" disabled={changes === 0 || publishing !== undefined} onClick={() => void publish()}>
          {text(StringTemplates.Publish)}
        </button>
        {publishing ? (
          <span role="progressbar" data-testid="agent-extensions-progress" data-step={publishing.step}>
            {publishing.step === 'update'
              ? text(StringTemplates.Saving)
              : publishing.step === 'building'
                ? text(StringTemplates.Building, { poll: publishing.poll })
                : text(StringTemplates.Publishing)}
          </span>
        ) : null}
        <input
          aria-label={text(StringTemplates.Filter)}
          placeholder={text(StringTemplates.FilterPlaceholder)}
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
                  {text(c.label)}
                  {sortBy === c.key ? (sortDir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
            <th>{text(StringTemplates.ColumnActions)}</th>
          </tr>
        </thead>
        <tbody>
          {pageResult.items.length === 0 ? (
            <tr>
              <td colSpan={6}>{list.draft.length === 0 ? MESSAGES.empty : text(StringTemplates.NoMatch)}</td>
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
                  <button type="button" aria-label={text(StringTemplates.EditLabel, { name: row.workerFullName })} data-testid="agent-extensions-edit" onClick={() => {
                    setServerProblems([]);
                    setEditing({ mode: 'update', workerSid: row.workerSid, workerFullName: row.workerFullName, extensionNumber: row.extensionNumber });
                  }}>
                    {text(StringTemplates.Edit)}
                  </button>
                  <button type="button" aria-label={text(StringTemplates.DeleteLabel, { name: row.workerFullName })} data-testid="agent-extensions-delete" onClick={() => void remove(row)}>
                    {text(StringTemplates.Delete)}
                  </button>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 8 }} data-testid="agent-extensions-pager">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} data-testid="agent-extensions-prev">
          {text(StringTemplates.Previous)}
        </button>
        <span data-testid="agent-extensions-page">
          {text(StringTemplates.PageOf, { page: pageResult.pageCount === 0 ? 0 : page, pageCount: pageResult.pageCount, total: pageResult.total })}
        </span>
        <button type="button" disabled={page >= pageResult.pageCount} onClick={() => setPage(page + 1)} data-testid="agent-extensions-next">
          {text(StringTemplates.Next)}
        </button>
        <label>
          {text(StringTemplates.RowsPerPage)}{' '}
          <select aria-label={text(StringTemplates.RowsPerPage)} data-testid="agent-extensions-page-size" value={pageSize} onChange={(e) => {
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
        <aside aria-label={text(StringTemplates.Editor)} data-testid="agent-extensions-panel" style={{ position: 'fixed', right: 0, top: 0, bottom: 0, width: 360, background: '#fff', padding: 16, boxShadow: '0 0 8px #0003' }}>
          <h2>{editing.mode === 'create' ? text(StringTemplates.AddNew) : text(StringTemplates.EditTitle)}</h2>
          <label>
            {text(StringTemplates.Worker)}
            <input
              list="flexcore-agent-extensions-workers"
              aria-label={text(StringTemplates.WorkerSid)}
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
            {text(StringTemplates.AgentName)}
            <input aria-label={text(StringTemplates.AgentName)} data-testid="agent-extensions-name" value={editing.workerFullName} onChange={(e) => setEditing({ ...editing, workerFullName: e.target.value })} />
          </label>
          <div role="alert" data-testid="agent-extensions-problem-workerFullName">{editing.workerFullName ? problemFor('workerFullName') : null}</div>
          <label>
            {text(StringTemplates.Extension)}
            <input aria-label={text(StringTemplates.Extension)} inputMode="numeric" data-testid="agent-extensions-number" value={editing.extensionNumber} onChange={(e) => setEditing({ ...editing, extensionNumber: e.target.value })} />
          </label>
          <div role="alert" data-testid="agent-extensions-problem-extensionNumber">{editing.extensionNumber ? problemFor('extensionNumber') : null}</div>
          {serverProblems.map((p) => (
            <div role="alert" key={p} data-testid="agent-extensions-server-problem">
              {p}
            </div>
          ))}
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <button type="button" data-testid="agent-extensions-save" disabled={!validation || validation.problems.length > 0} onClick={() => void save()}>
              {text(StringTemplates.Save)}
            </button>
            <button type="button" onClick={() => setEditing(undefined)}>
              {text(StringTemplates.Cancel)}
            </button>
          </div>
        </aside>
      ) : null}
    </div>
  );
}

export default AgentExtensionsView;
