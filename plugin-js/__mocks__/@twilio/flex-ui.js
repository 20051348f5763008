/**
 * Jest stand-in for @twilio/flex-ui (Flex is provided by the host page at runtime and is not loadable in
 * jsdom). It emulates only what the plugin touches, with Flex's semantics:
 * - Actions: invokeAction runs the before<Name> / <Name> / after<Name> listener lifecycle; a before
 *   listener's abort() cancels the action (flex-project-template's mock, style.md 4.1);
 * - programmable components: `<Component>.Content` is a dynamic content store recording add/replace/remove
 *   with their options, so tests can render what a hook added;
 * - Tab, withTaskContext (the task comes from the `task` prop or from setMockTask()), Manager;
 * - TaskChannels (register / unregister / getRegistered) and DefaultTaskChannels.createDefaultTaskChannel
 *   (the definition shape Flex builds: name, isApplicable, icons, colors, templates);
 * - Notifications (registerNotification / showNotification, recorded);
 * - localization (Flex UI 2.x `manager.localization`: localeTag, availableLocales, setLocalePreference) and
 *   `manager.strings` (kept by __resetFlexMock: setupTests empties it and registers the plugin's English
 *   strings before each test, as the plugin's init() does in Flex).
 */
import React from 'react';

class ContentStore {
  constructor(name) {
    this.name = name;
    this.fragments = [];
    this.add = jest.fn((element, options = {}) => {
      this.fragments = this.fragments.filter((f) => f.key !== element.key);
      this.fragments.push({ key: element.key, element, options });
    });
    this.replace = jest.fn((element, options = {}) => {
      this.fragments = [{ key: element.key, element, options: { ...options, replaced: true } }];
    });
    this.remove = jest.fn((key) => {
      this.fragments = this.fragments.filter((f) => f.key !== key);
    });
  }

  /** The added elements in Flex's order (ascending sortOrder, then insertion order). */
  sorted() {
    return [...this.fragments].sort((a, b) => (a.options.sortOrder ?? 0) - (b.options.sortOrder ?? 0));
  }

  reset() {
    this.fragments = [];
  }
}

const programmable = (name) => {
  const Component = () => null;
  Component.displayName = name;
  Component.Content = new ContentStore(name);
  return Component;
};

class Actions {
  constructor() {
    this.eventListeners = {};
    this.invokeAction = jest.fn(async (name, payload) => {
      const before = this.eventListeners[`before${name}`] || [];
      const on = this.eventListeners[name] || [];
      const after = this.eventListeners[`after${name}`] || [];
      let cancelled = false;
      for (const listener of before) {
        await listener(payload, () => {
          cancelled = true;
        });
      }
      if (cancelled) throw new Error(`Action ${name} cancelled by a before${name} listener`);
      for (const listener of on) await listener(payload);
      for (const listener of after) await listener(payload);
    });
    this.addListener = jest.fn((event, listener) => {
      (this.eventListeners[event] = this.eventListeners[event] || []).push(listener);
    });
    this.removeAllListeners = jest.fn((event) => {
      if (event) delete this.eventListeners[event];
      else this.eventListeners = {};
    });
  }
}

/** Flex UI 2.x `manager.localization` (the language selection): the user's locale tag, default en-US. */
function createLocalization() {
  return {
    localeTag: 'en-US',
    availableLocales: [
      { tag: 'en-US', name: 'English (United States)' },
      { tag: 'es-MX', name: 'Español (México)' },
    ],
    setLocalePreference: jest.fn(function setLocalePreference(tag) {
      this.localeTag = tag;
    }),
  };
}

class Manager {
  constructor() {
    this.configuration = {};
    this.serviceConfiguration = { ui_attributes: {} };
    this.user = { token: 'mockedFlexToken', identity: 'agent@example.com', roles: ['agent'] };
    this.store = { addReducer: jest.fn(), dispatch: jest.fn(), getState: jest.fn(() => ({})) };
    this.strings = {};
    this.localization = createLocalization();
  }

  static getInstance() {
    return manager;
  }
}
const manager = new Manager();

let mockTask;
/** Sets the task withTaskContext hands to components that get no `task` prop (undefined: no selection). */
function setMockTask(task) {
  mockTask = task;
}

function withTaskContext(Component) {
  const WithTask = (props) => React.createElement(Component, { task: mockTask, ...props });
  WithTask.displayName = `withTaskContext(${Component.displayName || Component.name || 'Component'})`;
  return WithTask;
}

function Tab({ children }) {
  return React.createElement(React.Fragment, null, children);
}

const TaskCanvasTabs = programmable('TaskCanvasTabs');
const AgentDesktopView = programmable('AgentDesktopView');
AgentDesktopView.Panel1 = programmable('AgentDesktopView.Panel1');
AgentDesktopView.Panel2 = programmable('AgentDesktopView.Panel2');
const TaskInfoPanel = programmable('TaskInfoPanel');

const TaskChannels = {
  registered: [],
  register: jest.fn((definition) => {
    TaskChannels.registered = TaskChannels.registered.filter((c) => c.name !== definition.name);
    TaskChannels.registered.push(definition);
  }),
  unregister: jest.fn((definition) => {
    TaskChannels.registered = TaskChannels.registered.filter((c) => c.name !== definition.name);
  }),
  getRegistered: jest.fn(() => TaskChannels.registered),
};

const DefaultTaskChannels = {
  createDefaultTaskChannel: jest.fn((name, isApplicable, icon, iconActive, color) => ({
    name,
    isApplicable,
    icons: { list: icon, main: icon, active: iconActive },
    colors: { main: color },
    templates: { TaskListItem: {}, TaskCanvasHeader: {}, IncomingTaskCanvas: {}, TaskCard: {}, Supervisor: {} },
  })),
};

const Notifications = {
  registered: {},
  shown: [],
  registerNotification: jest.fn((notification) => {
    Notifications.registered[notification.id] = notification;
  }),
  showNotification: jest.fn((id, context) => {
    Notifications.shown.push({ id, context });
  }),
};

// Views and side navigation (agent-extensions): ViewCollection and SideNav are content stores; View and
// SideLink render their children (Flex shows one View of the collection at a time, chosen by NavigateToView).
const ViewCollection = programmable('ViewCollection');
const SideNav = programmable('SideNav');
function View({ children }) {
  return React.createElement(React.Fragment, null, children);
}
function SideLink({ children, onClick }) {
  return React.createElement('button', { type: 'button', onClick }, children);
}

/** Clears every content store, listener and the mock task (call in beforeEach). */
function resetFlexMock() {
  for (const c of [TaskCanvasTabs, AgentDesktopView.Panel1, AgentDesktopView.Panel2, TaskInfoPanel]) c.Content.reset();
  ViewCollection.Content.reset();
  SideNav.Content.reset();
  TaskChannels.registered = [];
  Notifications.registered = {};
  Notifications.shown = [];
  module.exports.Actions.removeAllListeners();
  manager.configuration = {};
  manager.serviceConfiguration = { ui_attributes: {} };
  manager.localization = createLocalization();
  mockTask = undefined;
}

module.exports = {
  Actions: new Actions(),
  Manager,
  Tab,
  TaskCanvasTabs,
  AgentDesktopView,
  TaskInfoPanel,
  TaskChannels,
  DefaultTaskChannels,
  Notifications,
  withTaskContext,
  ViewCollection,
  SideNav,
  View,
  SideLink,
  // test helpers (not part of Flex)
  __manager: manager,
  __setMockTask: setMockTask,
  __resetFlexMock: resetFlexMock,
};
