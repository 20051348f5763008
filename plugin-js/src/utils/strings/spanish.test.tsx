// The plugin in Spanish, end to end inside the Flex mock: Flex's locale (manager.localization.localeTag =
// "es-MX") → initFeatures registers every table in manager.strings → each feature's view renders in Spanish
// (with the REAL wasm core). And an administrator's manager.strings override of one key wins over ours.
import '../../test-utils/textEncoding';
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import * as Flex from '@twilio/flex-ui';
import { loadCore, resetCore, type FlexCore } from 'flexcore';

import { forgetLoadedCore } from '../../core/useCore';
import { AgentExtensionsView } from '../../feature-library/agent-extensions/custom-components/AgentExtensionsView';
import { ServerError, type ExtensionsApi } from '../../feature-library/agent-extensions/api';
import { serverErrorText } from './problems';
import { initFeatures } from '../feature-loader';

type Fragment = { key: string; element: React.ReactElement; options: Record<string, unknown> };
const flexMock = Flex as unknown as {
  TaskCanvasTabs: { Content: { fragments: Fragment[] } };
  AgentDesktopView: { Panel2: { Content: { fragments: Fragment[] } } };
  TaskInfoPanel: { Content: { fragments: Fragment[] } };
  SideNav: { Content: { fragments: Fragment[] } };
  ViewCollection: { Content: { fragments: Fragment[] } };
  Notifications: { registered: Record<string, { content: string }> };
  __manager: {
    strings: Record<string, string>;
    localization: { localeTag: string };
    user: { roles: string[] };
    configuration: Record<string, unknown>;
  };
  __setMockTask: (task: unknown) => void;
};
const manager = flexMock.__manager;
const asFlexManager = () => manager as unknown as Flex.Manager;

let core: FlexCore;
beforeAll(async () => {
  core = await loadCore();
}, 20000);
afterAll(() => {
  forgetLoadedCore();
  resetCore();
});

let info: jest.SpyInstance;
beforeEach(() => {
  info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  // A fresh Flex session in Spanish: Flex's own strings only (none of ours), the supervisor signed in.
  manager.strings = { TaskLineCallAssigned: 'Llamada asignada' };
  manager.localization.localeTag = 'es-MX';
  manager.user.roles = ['supervisor'];
});
afterEach(() => {
  info.mockRestore();
  manager.user.roles = ['agent'];
});

const tab = (uniqueName: string) =>
  flexMock.TaskCanvasTabs.Content.fragments.find((f) => f.element.props.uniqueName === uniqueName)!.element;

const voicemailTask = {
  sid: 'WR0123456789abcdef0123456789abcdef',
  taskSid: 'WT0123456789abcdef0123456789abcdef',
  taskChannelUniqueName: 'voice',
  status: 'accepted',
  taskStatus: 'assigned',
  queueName: 'Callbacks',
  attributes: {
    taskType: 'voicemail',
    name: 'Voicemail (+15550100000)',
    callBackData: {
      numberToCall: '+15550100000',
      numberToCallFrom: '+15550100001',
      attempts: 0,
      mainTimeZone: 'UTC',
      utcDateTimeReceived: '2024-05-01T12:00:00.000Z',
      RecordingUrl: 'https://example.com/recording.mp3',
      TranscriptionText: 'Llámeme, por favor',
      isDeleted: false,
    },
  },
};

describe('in Spanish (Flex locale es-MX)', () => {
  it('registers the Spanish texts and keeps Flex’s own strings', () => {
    initFeatures(Flex, asFlexManager());
    expect(manager.strings.TaskLineCallAssigned).toBe('Llamada asignada');
    expect(manager.strings.FlexcoreSegmentLookupTitle).toBe('Búsqueda de segmentos');
    expect(manager.strings.FlexcoreCallbackRetryLater).toBe('Reintentar más tarde');
    expect(info).toHaveBeenCalledWith('[plugin-flexcore]', expect.stringMatching(/^segment-lookup: registered \d+ strings \(es-MX\)$/));
  });

  it('core-status: the "flexcore" tab', async () => {
    initFeatures(Flex, asFlexManager());
    flexMock.__setMockTask(undefined);
    render(tab('flexcore'));
    expect(await screen.findByText('Versión del núcleo', {}, { timeout: 10000 })).toBeInTheDocument();
    expect(screen.getByTestId('flexcore-task-sid')).toHaveTextContent('Ninguna tarea seleccionada');
    expect(screen.getByTestId('flexcore-server-url')).toHaveTextContent('no configurado');
  });

  it('segment-lookup: the Segment Lookup panel', async () => {
    initFeatures(Flex, asFlexManager());
    render(flexMock.AgentDesktopView.Panel2.Content.fragments[0].element);
    expect(screen.getByText('Búsqueda de segmentos').tagName).toBe('H3');
    expect(await screen.findByPlaceholderText('Ingrese el SID de la tarea', {}, { timeout: 10000 })).toBeInTheDocument();
    expect(screen.getByLabelText('SID de la tarea')).toBeInTheDocument();
    expect(screen.getByTestId('segment-lookup-button')).toHaveTextContent('Buscar');
  });

  it('customer-context: the "Cliente" tab', async () => {
    initFeatures(Flex, asFlexManager());
    const element = tab('customer-context');
    expect(element.props.label).toBe('Cliente');
    flexMock.__setMockTask({ taskSid: 'WT0123456789abcdef0123456789abcdef', attributes: {} });
    render(element);
    expect((await screen.findByText('Contexto del bot', {}, { timeout: 10000 })).tagName).toBe('H4');
    expect(screen.getByTestId('customer-bot-context-empty')).toHaveTextContent('Sin contexto');
  });

  it('agent-extensions: the side link, the view without a server, and the table', async () => {
    initFeatures(Flex, asFlexManager());
    render(flexMock.SideNav.Content.fragments[0].element);
    expect(screen.getByText('Extensiones de agentes').tagName).toBe('BUTTON');
    render(flexMock.ViewCollection.Content.fragments[0].element);
    expect(await screen.findByTestId('agent-extensions-not-configured')).toHaveTextContent(
      'flexcore-server no está configurado (server_url).',
    );

    const api: ExtensionsApi = {
      list: async () => ({ data: [], draft: [], version: 'ZN1', versionIsDeployed: true }),
      save: jest.fn(),
      update: jest.fn(),
      status: jest.fn(),
      publish: jest.fn(),
    };
    render(<AgentExtensionsView core={core} api={api} />);
    const view = await screen.findByTestId('agent-extensions-view');
    expect(within(view).getByText('Extensiones de agentes').tagName).toBe('H1');
    expect(within(view).getByTestId('agent-extensions-version')).toHaveTextContent('Versión actual implementada');
    expect(within(view).getByText('¡No hay extensiones de agentes configuradas!')).toBeInTheDocument();
    expect(within(view).getByTestId('agent-extensions-add')).toHaveTextContent('Agregar nueva extensión');
    expect(within(view).getByTestId('agent-extensions-sort-workerFullName')).toHaveTextContent('Nombre del agente');
    expect(within(view).getByPlaceholderText('Filtrar por nombre, extensión o SID del agente')).toBeInTheDocument();
    expect(within(view).getByTestId('agent-extensions-page')).toHaveTextContent('Página 0 de 0 (0 extensiones)');
  });

  it('agent-extensions: a number taken by another worker is said in Spanish (the core gives code and worker)', async () => {
    initFeatures(Flex, asFlexManager());
    const jane = { workerSid: `WK${'1'.padStart(32, '0')}`, workerFullName: 'Juana', extensionNumber: '100', updatedBy: 'sam', updatedAt: '2026-01-01T00:00:00.000Z' };
    const api: ExtensionsApi = {
      list: async () => ({ data: [jane], draft: [jane], version: 'ZN1', versionIsDeployed: true }),
      save: jest.fn(),
      update: jest.fn(),
      status: jest.fn(),
      publish: jest.fn(),
    };
    render(<AgentExtensionsView core={core} api={api} />);
    await screen.findByTestId('agent-extensions-table');
    fireEvent.click(screen.getByTestId('agent-extensions-add'));
    expect(screen.getByTestId('agent-extensions-panel')).toHaveAttribute('aria-label', 'Editor de extensiones');
    fireEvent.change(screen.getByTestId('agent-extensions-worker'), { target: { value: `WK${'2'.padStart(32, '0')}` } });
    fireEvent.change(screen.getByTestId('agent-extensions-name'), { target: { value: 'Juan' } });
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: ' 100 ' } });
    expect(screen.getByTestId('agent-extensions-problem-extensionNumber')).toHaveTextContent(
      `La extensión 100 ya está asignada a Juana (${jane.workerSid})`,
    );
    expect(screen.getByTestId('agent-extensions-save')).toHaveTextContent('Guardar');
    // Every other problem of the row, from the real core's reasons and params, in Spanish.
    fireEvent.change(screen.getByTestId('agent-extensions-worker'), { target: { value: 'WK12' } });
    fireEvent.change(screen.getByTestId('agent-extensions-name'), { target: { value: 'Juan\u0007' } });
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: '12-3' } });
    expect(screen.getByTestId('agent-extensions-problem-workerSid')).toHaveTextContent(
      'Un SID de agente tiene 34 caracteres («WK» y 32 dígitos hexadecimales); este tiene 4.',
    );
    expect(screen.getByTestId('agent-extensions-problem-workerFullName')).toHaveTextContent(
      'El nombre del agente no debe contener caracteres de control.',
    );
    expect(screen.getByTestId('agent-extensions-problem-extensionNumber')).toHaveTextContent(
      'Una extensión solo tiene los dígitos 0-9 (se encontró -).',
    );
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: '12345678901' } });
    expect(screen.getByTestId('agent-extensions-problem-extensionNumber')).toHaveTextContent(
      'Una extensión tiene como máximo 10 dígitos; esta tiene 11.',
    );
  });

  it("agent-extensions: the server's problems and errors are said in Spanish", async () => {
    initFeatures(Flex, asFlexManager());
    const worker = `WK${'3'.padStart(32, '0')}`;
    const api: ExtensionsApi = {
      list: async () => ({ data: [], draft: [], version: 'ZN1', versionIsDeployed: true }),
      // The server's 409 body for a number taken meanwhile (the core's problem JSON, reason and params included).
      save: jest
        .fn()
        .mockRejectedValueOnce(
          new ServerError(409, 'AlreadyExists', 'x', [
            {
              field: 'extensionNumber',
              message: `extensionNumber 555 is already assigned to Eva (${worker})`,
              code: 'AlreadyExists',
              reason: 'taken',
              params: { extensionNumber: '555', conflictingWorkerSid: worker, conflictingWorkerName: 'Eva' },
            },
          ]),
        ),
      update: jest.fn(),
      status: jest.fn(),
      publish: jest.fn(),
    };
    render(<AgentExtensionsView core={core} api={api} />);
    await screen.findByTestId('agent-extensions-table');
    fireEvent.click(screen.getByTestId('agent-extensions-add'));
    fireEvent.change(screen.getByTestId('agent-extensions-worker'), { target: { value: `WK${'4'.padStart(32, '0')}` } });
    fireEvent.change(screen.getByTestId('agent-extensions-name'), { target: { value: 'Juan' } });
    fireEvent.change(screen.getByTestId('agent-extensions-number'), { target: { value: '555' } });
    fireEvent.click(screen.getByTestId('agent-extensions-save'));
    expect(await screen.findByText(`La extensión 555 ya está asignada a Eva (${worker})`)).toBeInTheDocument();
  });

  it('a flexcore-server error is said in Spanish from its code, with the server message only as detail', () => {
    initFeatures(Flex, asFlexManager());
    expect(serverErrorText({ status: 403, code: 'PermissionDenied', message: 'role agent may not edit' })).toBe(
      'Su rol de Flex no permite hacer esto.',
    );
    expect(serverErrorText({ status: 400, code: 'InvalidArgument', message: 'pageSize must be between 1 and 1000' })).toBe(
      'flexcore-server rechazó la solicitud por no ser válida. (detalle: pageSize must be between 1 and 1000)',
    );
  });

  it('callback-and-voicemail: the voicemail panel and the notifications', async () => {
    initFeatures(Flex, asFlexManager());
    flexMock.__setMockTask(voicemailTask);
    render(flexMock.TaskInfoPanel.Content.fragments[0].element);
    expect(await screen.findByTestId('callback-heading', {}, { timeout: 10000 })).toHaveTextContent('Mensaje de voz del contacto');
    expect(screen.getByText('Un contacto dejó un mensaje de voz que requiere atención.')).toBeInTheDocument();
    expect(screen.getByText('Transcripción del mensaje de voz')).toBeInTheDocument();
    expect(screen.getByTestId('callback-attempt')).toHaveTextContent('1 de 3');
    // Dates in Flex's language: es-MX writes the day first.
    expect(screen.getByTestId('callback-received')).toHaveTextContent(/^1\/5\/2024/);
    expect(screen.getByTestId('callback-place-call')).toHaveTextContent('Llamar ahora a +15550100000');
    expect(screen.getByTestId('callback-retry-later')).toHaveTextContent('Reintentar más tarde');
    // Notification contents name strings of manager.strings (Flex resolves them), here in Spanish.
    const content = flexMock.Notifications.registered.CallbackOutboundDialingNotEnabled.content;
    expect(manager.strings[content]).toBe('La marcación saliente no está habilitada; avise a un administrador del sistema');
  });

  it('falls back to English for a Flex locale the plugin does not ship', async () => {
    manager.localization.localeTag = 'fr-FR';
    initFeatures(Flex, asFlexManager());
    render(flexMock.AgentDesktopView.Panel2.Content.fragments[0].element);
    expect(screen.getByText('Segment Lookup').tagName).toBe('H3');
  });
});

describe('administrator overrides', () => {
  it('a manager.strings value set before the plugin starts wins over the plugin’s text, in any language', async () => {
    manager.strings = { ...manager.strings, FlexcoreSegmentLookupTitle: 'Consulta de segmentos (Contoso)' };
    initFeatures(Flex, asFlexManager());
    expect(manager.strings.FlexcoreSegmentLookupTitle).toBe('Consulta de segmentos (Contoso)');
    expect(info).toHaveBeenCalledWith(
      '[plugin-flexcore]',
      expect.stringMatching(/^segment-lookup: registered \d+ strings \(es-MX\); 1 overridden in manager.strings kept$/),
    );
    render(flexMock.AgentDesktopView.Panel2.Content.fragments[0].element);
    expect(screen.getByText('Consulta de segmentos (Contoso)').tagName).toBe('H3');
    // The other keys are still the plugin's Spanish.
    expect(await screen.findByPlaceholderText('Ingrese el SID de la tarea', {}, { timeout: 10000 })).toBeInTheDocument();
  });

  it('an override with placeholders is filled like the original', async () => {
    manager.localization.localeTag = 'en-US';
    manager.strings = { FlexcoreCallbackPlaceCallNow: 'Dial {{phone}} now' };
    initFeatures(Flex, asFlexManager());
    flexMock.__setMockTask(voicemailTask);
    render(flexMock.TaskInfoPanel.Content.fragments[0].element);
    expect(await screen.findByTestId('callback-place-call', {}, { timeout: 10000 })).toHaveTextContent('Dial +15550100000 now');
    expect(screen.getByTestId('callback-heading')).toHaveTextContent('Contact Voicemail');
  });
});
