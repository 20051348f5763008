/*
 * A stand-in for the Flex UI runtime (window.Twilio.Flex) for the flexcore harness page.
 *
 * Flex itself cannot run here (it needs a Twilio login), so this file provides the small part of the
 * @twilio/flex-ui surface the plugin uses, with Flex's semantics, in plain ES2017 over the React 17 UMD
 * globals (React, ReactDOM) that Flex also provides to plugins as webpack externals:
 *
 * - Plugins.init(PluginClass): instantiates the plugin and calls plugin.init(flex, manager), as Flex does;
 * - programmable components with a dynamic content store: Content.add(element, {sortOrder, if}),
 *   Content.replace, Content.remove; added children receive the host component's props (Flex behaviour);
 *   AgentDesktopView.Panel1 (task list), AgentDesktopView.Panel2 (task canvas), TaskCanvasHeader,
 *   TaskCanvasTabs, TaskInfoPanel;
 * - Tab, withTaskContext (the selected task through a React context);
 * - Actions: addListener / removeListener / invokeAction with the before<Name>/<Name>/after<Name>
 *   lifecycle and abort(); the built-in SelectTask action selects a task in the desktop;
 * - Manager.getInstance(): configuration (ui_attributes merged), serviceConfiguration, user, strings,
 *   localization (localeTag, availableLocales, setLocalePreference: Flex UI 2.x language selection).
 *
 * Nothing here is used by the plugin bundle at build time; it is only the host page's runtime.
 */
(function flexStub(global) {
  'use strict';

  var React = global.React;
  var h = React.createElement;

  // ---------------------------------------------------------------------------------------------
  // Dynamic content stores (Flex's DynamicContentStore: add / replace / remove with options)
  // ---------------------------------------------------------------------------------------------
  var changeListeners = new Set();
  function notifyContentChanged() {
    changeListeners.forEach(function (listener) {
      listener();
    });
  }

  function ContentStore(name) {
    this.name = name;
    this.added = []; // {key, element, options}
    this.replaced = null; // {key, element, options} when defaults are replaced
    this.removed = new Set(); // keys of default children removed
  }
  ContentStore.prototype.add = function add(element, options) {
    if (!element || element.key == null) throw new Error(this.name + '.Content.add: the element needs a key');
    this.added = this.added.filter(function (f) {
      return f.key !== element.key;
    });
    this.added.push({ key: String(element.key), element: element, options: options || {} });
    notifyContentChanged();
  };
  ContentStore.prototype.replace = function replace(element, options) {
    if (!element || element.key == null) throw new Error(this.name + '.Content.replace: the element needs a key');
    this.replaced = { key: String(element.key), element: element, options: options || {} };
    notifyContentChanged();
  };
  ContentStore.prototype.remove = function remove(key) {
    this.added = this.added.filter(function (f) {
      return f.key !== String(key);
    });
    this.removed.add(String(key));
    notifyContentChanged();
  };
  /** The children to render for `props`: defaults (unless replaced/removed) plus added ones, by sortOrder. */
  ContentStore.prototype.children = function children(defaults, props) {
    var removed = this.removed;
    // Flex: a replacement whose `if` does not hold for these props leaves the default children in place.
    var replacedApplies =
      this.replaced && (typeof this.replaced.options.if !== 'function' || this.replaced.options.if(props));
    var base = replacedApplies
      ? [this.replaced]
      : (defaults || [])
          .filter(function (el) {
            return !removed.has(String(el.key));
          })
          .map(function (el, index) {
            return { key: String(el.key), element: el, options: { sortOrder: index } };
          });
    var all = base.concat(this.added).filter(function (f) {
      return typeof f.options.if !== 'function' || f.options.if(props);
    });
    all.sort(function (a, b) {
      var sa = a.options.sortOrder == null ? Infinity : a.options.sortOrder;
      var sb = b.options.sortOrder == null ? Infinity : b.options.sortOrder;
      return sa - sb;
    });
    return all.map(function (f) {
      return React.cloneElement(f.element, Object.assign({}, props, f.element.props));
    });
  };

  /** Re-renders its subtree whenever any Content store changes (plugins may add content after init). */
  function useContentVersion() {
    var state = React.useState(0);
    React.useEffect(function () {
      var listener = function () {
        state[1](function (n) {
          return n + 1;
        });
      };
      changeListeners.add(listener);
      return function () {
        changeListeners.delete(listener);
      };
    }, []);
    return state[0];
  }

  // ---------------------------------------------------------------------------------------------
  // Task context, Tab, withTaskContext
  // ---------------------------------------------------------------------------------------------
  var TaskContext = React.createContext({ task: undefined });

  function withTaskContext(Component) {
    function WithTaskContext(props) {
      var context = React.useContext(TaskContext);
      return h(Component, Object.assign({ task: context.task }, props));
    }
    WithTaskContext.displayName = 'withTaskContext(' + (Component.displayName || Component.name || 'Component') + ')';
    return WithTaskContext;
  }

  /** Flex's Tab: its children are the tab body; label/uniqueName are read by the hosting Tabs. */
  function Tab(props) {
    return h(React.Fragment, null, props.children);
  }

  // ---------------------------------------------------------------------------------------------
  // Actions framework
  // ---------------------------------------------------------------------------------------------
  var listeners = {};
  var implementations = {};
  var Actions = {
    addListener: function addListener(event, listener) {
      (listeners[event] = listeners[event] || []).push(listener);
    },
    removeListener: function removeListener(event, listener) {
      listeners[event] = (listeners[event] || []).filter(function (l) {
        return l !== listener;
      });
    },
    removeAllListeners: function removeAllListeners(event) {
      if (event) delete listeners[event];
      else listeners = {};
    },
    registerAction: function registerAction(name, implementation) {
      implementations[name] = implementation;
    },
    replaceAction: function replaceAction(name, implementation) {
      var original = implementations[name];
      implementations[name] = function (payload) {
        return implementation(payload, original);
      };
    },
    /** before<Name> listeners (may abort) → the action → <Name> listeners... → after<Name> listeners. */
    invokeAction: async function invokeAction(name, payload) {
      payload = payload || {};
      var aborted = false;
      var abort = function () {
        aborted = true;
      };
      var before = listeners['before' + name] || [];
      for (var i = 0; i < before.length; i += 1) await before[i](payload, abort);
      if (aborted) return false;
      if (implementations[name]) await implementations[name](payload);
      var after = (listeners[name] || []).concat(listeners['after' + name] || []);
      for (var j = 0; j < after.length; j += 1) await after[j](payload);
      return true;
    },
  };


  // ---------------------------------------------------------------------------------------------
  // Task channels, notifications, StartOutboundCall (issue 7: callback and voicemail), with Flex's
  // semantics: TaskChannels.register adds a definition; the task list uses the LAST registered channel
  // whose isApplicable(task) holds (Flex checks custom channels before its defaults); the definition's
  // templates.TaskListItem.firstLine (string or function of the task) titles the list item.
  // Notifications.registerNotification / showNotification (shown ones are recorded in _shown and
  // rendered in the notification bar); StartOutboundCall is recorded in _outboundCalls.
  // ---------------------------------------------------------------------------------------------
  var registeredChannels = [];
  var TaskChannels = {
    register: function register(definition) {
      registeredChannels = registeredChannels.filter(function (c) {
        return c.name !== definition.name;
      });
      registeredChannels.push(definition);
      notifyContentChanged();
    },
    unregister: function unregister(definition) {
      registeredChannels = registeredChannels.filter(function (c) {
        return c.name !== (definition && definition.name);
      });
      notifyContentChanged();
    },
    getRegistered: function getRegistered() {
      return registeredChannels.slice();
    },
  };
  var DefaultTaskChannels = {
    createDefaultTaskChannel: function createDefaultTaskChannel(name, isApplicable, icon, iconActive, color) {
      return {
        name: name,
        isApplicable: isApplicable,
        icons: { list: icon, main: icon, active: iconActive },
        colors: { main: color },
        templates: { TaskListItem: {}, TaskCanvasHeader: {}, IncomingTaskCanvas: {}, TaskCard: {}, Supervisor: {} },
      };
    },
  };
  function channelFor(task) {
    for (var i = registeredChannels.length - 1; i >= 0; i -= 1) {
      try {
        if (registeredChannels[i].isApplicable(task)) return registeredChannels[i];
      } catch (e) {
        // a throwing isApplicable does not apply (Flex logs and skips it)
      }
    }
    return undefined;
  }
  function channelTitle(task, fallback) {
    var channel = channelFor(task);
    var template = channel && channel.templates && channel.templates.TaskListItem && channel.templates.TaskListItem.firstLine;
    if (typeof template === 'function') return template(task);
    if (typeof template === 'string') return template;
    return fallback;
  }
  var Notifications = {
    _registered: {},
    _shown: [],
    registerNotification: function registerNotification(notification) {
      Notifications._registered[notification.id] = notification;
    },
    showNotification: function showNotification(id, context) {
      if (!Notifications._registered[id]) throw new Error('showNotification: unknown notification ' + id);
      Notifications._shown.push({ id: id, context: context });
      notifyContentChanged();
    },
  };
  var outboundCalls = [];
  Actions.registerAction('StartOutboundCall', function startOutboundCall(payload) {
    if (!payload || !payload.destination) throw new Error('StartOutboundCall: destination is required');
    outboundCalls.push(payload);
  });

  // ---------------------------------------------------------------------------------------------
  // Manager
  // ---------------------------------------------------------------------------------------------
  var manager = null;
  var Manager = {
    getInstance: function getInstance() {
      if (!manager) throw new Error('Flex harness: the manager is created by FlexHarness.start()');
      return manager;
    },
  };

  // Flex UI 2.x language selection (manager.localization): the agent's choice is kept in localStorage under
  // TWILIO_FLEX_LOCALE_PREFERENCE and Flex reloads to apply it. Harness only: ?lang=<tag> wins for one page load.
  var LOCALE_PREFERENCE_KEY = 'TWILIO_FLEX_LOCALE_PREFERENCE';
  var AVAILABLE_LOCALES = [
    { tag: 'en-US', name: 'English (United States)' },
    { tag: 'es-MX', name: 'Español (México)' },
  ];
  function createLocalization() {
    var stored = null;
    try {
      stored = global.localStorage.getItem(LOCALE_PREFERENCE_KEY);
    } catch (e) {
      stored = null; // storage disabled: Flex falls back to its default
    }
    var fromUrl = new URLSearchParams(global.location.search).get('lang');
    return {
      localeTag: fromUrl || stored || 'en-US',
      availableLocales: AVAILABLE_LOCALES.slice(),
      /** Stores the preference and reloads, as Flex does (the plugin re-registers its strings on init). */
      setLocalePreference: function setLocalePreference(tag) {
        try {
          global.localStorage.setItem(LOCALE_PREFERENCE_KEY, tag);
        } catch (e) {
          // storage disabled: the URL parameter still carries the choice
        }
        var url = new URL(global.location.href);
        url.searchParams.set('lang', tag);
        global.location.assign(url.href);
      },
    };
  }

  function createManager(options) {
    var uiAttributes = options.uiAttributes || {};
    var store = { tasks: new Map(), selectedTaskSid: undefined };
    manager = {
      // Flex merges ui_attributes into manager.configuration
      configuration: Object.assign({}, uiAttributes),
      serviceConfiguration: { ui_attributes: uiAttributes, account_sid: options.accountSid },
      user: options.user,
      strings: {},
      localization: createLocalization(),
      workerClient: { sid: options.workerSid, attributes: options.workerAttributes || {} },
      store: {
        getState: function () {
          return { flex: { worker: { tasks: store.tasks }, view: { selectedTaskSid: store.selectedTaskSid } } };
        },
        dispatch: function () {},
        subscribe: function () {
          return function () {};
        },
      },
      _harness: store,
    };
    return manager;
  }

  // ---------------------------------------------------------------------------------------------
  // Programmable components
  // ---------------------------------------------------------------------------------------------
  function programmable(name, render) {
    function Component(props) {
      useContentVersion();
      // Like Flex's task-related components, take the selected task from the task context when not passed.
      var context = React.useContext(TaskContext);
      var withTask = props.task === undefined && context.task ? Object.assign({ task: context.task }, props) : props;
      return render(withTask, Component.Content);
    }
    Component.displayName = name;
    Component.Content = new ContentStore(name);
    return Component;
  }

  var TaskCanvasHeader = programmable('TaskCanvasHeader', function (props, content) {
    var task = props.task;
    var title = task.attributes && task.attributes.name ? task.attributes.name : task.taskSid;
    var defaults = [
      h('h2', { key: 'title', className: 'fh-canvas-title', 'data-testid': 'task-canvas-title' }, title),
      h(
        'span',
        { key: 'meta', className: 'fh-canvas-meta' },
        [task.taskChannelUniqueName, task.queueName, task.status].filter(Boolean).join(' · '),
      ),
    ];
    return h('header', { className: 'fh-canvas-header' }, content.children(defaults, props));
  });

  function InfoTabBody(props) {
    var task = props.task;
    return h(
      'dl',
      { className: 'fh-info' },
      [
        ['Task SID', task.taskSid],
        ['Reservation SID', task.sid],
        ['Channel', task.taskChannelUniqueName],
        ['Queue', task.queueName],
        ['Status', task.status],
        ['Attributes', JSON.stringify(task.attributes, null, 2)],
      ].map(function (row) {
        return h(
          React.Fragment,
          { key: row[0] },
          h('dt', null, row[0]),
          h('dd', null, row[0] === 'Attributes' ? h('pre', null, row[1]) : row[1]),
        );
      }),
    );
  }

  var TaskInfoPanel = programmable('TaskInfoPanel', function (props, content) {
    return h('div', { className: 'fh-task-info' }, content.children([h(InfoTabBody, { key: 'info', task: props.task })], props));
  });

  var TaskCanvasTabs = programmable('TaskCanvasTabs', function (props, content) {
    var tabs = content.children([h(Tab, { key: 'info', uniqueName: 'info', label: 'Info' }, h(TaskInfoPanel, null))], props);
    var selectedName = props.selectedTabName;
    var selected =
      tabs.find(function (tab) {
        return tab.props.uniqueName === selectedName;
      }) || tabs[0];
    return h(
      'div',
      { className: 'fh-tabs' },
      h(
        'div',
        { className: 'fh-tab-headers', role: 'tablist' },
        tabs.map(function (tab) {
          var isSelected = tab === selected;
          return h(
            'button',
            {
              key: tab.key,
              type: 'button',
              role: 'tab',
              'aria-selected': isSelected ? 'true' : 'false',
              'data-testid': 'task-canvas-tab',
              'data-tab-name': tab.props.uniqueName,
              className: 'fh-tab-header' + (isSelected ? ' fh-selected' : ''),
              onClick: function () {
                props.onSelectTab(tab.props.uniqueName);
              },
            },
            tab.props.label || tab.props.uniqueName,
          );
        }),
      ),
      h('div', { className: 'fh-tab-body', role: 'tabpanel', 'data-tab-name': selected && selected.props.uniqueName }, selected),
    );
  });

  function TaskListItem(props) {
    var task = props.task;
    var name = task.attributes && task.attributes.name ? task.attributes.name : task.taskSid;
    return h(
      'li',
      null,
      h(
        'button',
        {
          type: 'button',
          className: 'fh-task' + (props.selected ? ' fh-selected' : ''),
          'aria-pressed': props.selected ? 'true' : 'false',
          'data-testid': 'task-list-item',
          'data-task-sid': task.taskSid,
          'data-task-channel': channelFor(task) ? channelFor(task).name : task.taskChannelUniqueName,
          onClick: function () {
            Actions.invokeAction('SelectTask', { sid: task.sid, task: task });
          },
        },
        h('span', { className: 'fh-task-name', 'data-testid': 'task-list-item-title' }, channelTitle(task, name)),
        h('span', { className: 'fh-task-meta' }, [task.taskChannelUniqueName, task.queueName].filter(Boolean).join(' · ')),
      ),
      task.status === 'pending' && Flex._TaskButtons ? h(Flex._TaskButtons, { task: task, where: 'list' }) : null,
    );
  }

  var Panel1 = programmable('AgentDesktopView.Panel1', function (props, content) {
    var list = h(
      'section',
      { key: 'task-list', className: 'fh-task-list', 'aria-label': 'Task list' },
      h('h2', null, 'Tasks'),
      h(
        'ul',
        null,
        props.tasks.map(function (task) {
          return h(TaskListItem, { key: task.taskSid, task: task, selected: props.selectedTask === task });
        }),
      ),
    );
    return h('div', { className: 'fh-panel1' }, content.children([list], props));
  });

  function TaskCanvas(props) {
    var task = props.task;
    if (!task) return h('div', { className: 'fh-no-task', 'data-testid': 'no-task-selected' }, 'No task selected');
    return h(
      TaskContext.Provider,
      { value: { task: task } },
      h(
        'div',
        { className: 'fh-canvas', 'data-testid': 'task-canvas', 'data-task-sid': task.taskSid },
        h(TaskCanvasHeader, { task: task }),
        h(TaskCanvasTabs, { task: task, selectedTabName: props.selectedTabName, onSelectTab: props.onSelectTab }),
      ),
    );
  }

  var Panel2 = programmable('AgentDesktopView.Panel2', function (props, content) {
    return h(
      'div',
      { className: 'fh-panel2' },
      content.children(
        [
          h(TaskCanvas, {
            key: 'task-canvas',
            task: props.selectedTask,
            selectedTabName: props.selectedTabName,
            onSelectTab: props.onSelectTab,
          }),
        ],
        props,
      ),
    );
  });

  var AgentDesktopView = programmable('AgentDesktopView', function (props) {
    return h(
      'main',
      { className: 'fh-desktop' },
      h(Panel1, { tasks: props.tasks, selectedTask: props.selectedTask }),
      h(Panel2, props),
    );
  });
  AgentDesktopView.Panel1 = Panel1;
  AgentDesktopView.Panel2 = Panel2;

  // ---------------------------------------------------------------------------------------------
  // Views and side navigation (agent-extensions): ViewCollection holds <View name> children and shows the
  // active one; SideNav holds <SideLink> children; the NavigateToView action ({viewName}) switches views,
  // as in Flex. The agent desktop is the default view ("agent-desktop"): while another view is active the
  // desktop root (#flex-root) is hidden.
  // ---------------------------------------------------------------------------------------------
  var activeView = { name: 'agent-desktop' };
  function View(props) {
    return h('section', { className: 'fh-view', 'data-view-name': props.name }, props.children);
  }
  function SideLink(props) {
    return h(
      'button',
      { type: 'button', className: 'fh-side-link', 'data-testid': 'side-link', 'data-icon': props.icon, onClick: props.onClick },
      props.children,
    );
  }
  var SideNav = programmable('SideNav', function (props, content) {
    var home = h(SideLink, {
      key: 'agent-desktop',
      icon: 'Agent',
      onClick: function () {
        Actions.invokeAction('NavigateToView', { viewName: 'agent-desktop' });
      },
    }, 'Agent Desktop');
    return h('nav', { className: 'fh-side-nav', 'aria-label': 'Side navigation' }, content.children([home], props));
  });
  var ViewCollection = programmable('ViewCollection', function (props, content) {
    var views = content.children([], props).filter(function (view) {
      return view.props.name === activeView.name;
    });
    return h('div', { className: 'fh-view-collection', 'data-active-view': activeView.name }, views);
  });
  Actions.registerAction('NavigateToView', function (payload) {
    activeView.name = payload && payload.viewName ? payload.viewName : 'agent-desktop';
    var desktop = document.getElementById('flex-root');
    if (desktop) desktop.hidden = activeView.name !== 'agent-desktop';
    notifyContentChanged();
  });

  // ---------------------------------------------------------------------------------------------
  // Plugins
  // ---------------------------------------------------------------------------------------------
  var pluginInits = [];
  var Plugins = {
    /** Called by the plugin bundle (@twilio/flex-plugin's loadPlugin). */
    init: function init(PluginClass) {
      var run = (async function () {
        var plugin = new PluginClass();
        await plugin.init(Flex, Manager.getInstance());
        return plugin;
      })();
      pluginInits.push(run);
      return run;
    },
    /** Harness only: every plugin's init() promise. */
    _inits: pluginInits,
  };

  var Flex = {
    Actions: Actions,
    AgentDesktopView: AgentDesktopView,
    Manager: Manager,
    Plugins: Plugins,
    Tab: Tab,
    TaskCanvasHeader: TaskCanvasHeader,
    TaskCanvasTabs: TaskCanvasTabs,
    TaskInfoPanel: TaskInfoPanel,
    TaskChannels: TaskChannels,
    DefaultTaskChannels: DefaultTaskChannels,
    Notifications: Notifications,
    _outboundCalls: outboundCalls,
    TaskContext: TaskContext,
    withTaskContext: withTaskContext,
    View: View,
    SideLink: SideLink,
    SideNav: SideNav,
    ViewCollection: ViewCollection,
    // harness helpers (not part of Flex)
    _createManager: createManager,
  };

  // ---------------------------------------------------------------------------------------------
  // Voice calls (issue 8, hang up by): the built-in HangupCall action, a "Hang up" button in the task
  // canvas header of voice tasks, and ITask.setAttributes through the harness server's TaskRouter
  // stand-in (POST /harness/taskrouter/tasks/<WT>, what the TaskRouter JS SDK does in Flex).
  // ---------------------------------------------------------------------------------------------
  /** Gives every task Flex's setAttributes(attributes) when the harness has a TaskRouter configured. */
  function attachTaskRouter(tasks, enabled) {
    tasks.forEach(function (task) {
      task.setAttributes = async function setAttributes(attributes) {
        if (!enabled) throw new Error('Flex harness: no TaskRouter configured (serve.mjs --taskrouter-url)');
        var response = await fetch('/harness/taskrouter/tasks/' + task.taskSid, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ attributes: attributes }),
        });
        if (!response.ok) throw new Error('setAttributes: HTTP ' + response.status + ' ' + (await response.text()));
        task.attributes = attributes;
        return task;
      };
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Task lifecycle actions (issue 9, the live desktop), with Flex's payload {sid: reservation SID} or {task}:
  // AcceptTask / RejectTask (a pending reservation), HangupCall (the agent's call leg), WrapupTask,
  // CompleteTask. Each goes through the task backend: by default (fixture tasks) only the task's status
  // changes in the page; the live desktop (harness.js with --emulator-url) sets a backend that asks TaskRouter
  // and the emulated phone network through the harness server, then refreshes the task list.
  // ---------------------------------------------------------------------------------------------
  var fixtureBackend = {
    accept: function (task) {
      task.status = 'assigned';
      task.taskStatus = 'assigned';
    },
    reject: function (task) {
      task.status = 'rejected';
    },
    hangup: function () {},
    wrapup: function (task) {
      task.status = 'wrapping';
      task.taskStatus = 'wrapping';
    },
    complete: function (task) {
      task.status = 'completed';
      task.taskStatus = 'completed';
    },
  };
  var taskBackend = fixtureBackend;
  function findTask(payload, action) {
    var task = payload && payload.task;
    if (!task && payload && payload.sid && manager) {
      task = manager._harness.tasks.get(payload.sid);
      if (!task) {
        manager._harness.tasks.forEach(function (t) {
          if (t.taskSid === payload.sid) task = t;
        });
      }
    }
    if (!task) throw new Error(action + ': no task in the payload (expected {sid} or {task})');
    return task;
  }
  function lifecycleAction(name, run) {
    Actions.registerAction(name, async function (payload) {
      var task = findTask(payload, name);
      await run(task);
      notifyContentChanged();
      if (taskBackend.refresh) await taskBackend.refresh();
    });
  }
  lifecycleAction('AcceptTask', function (task) {
    if (task.status !== 'pending') throw new Error('AcceptTask: task ' + task.taskSid + ' is ' + task.status + ', not pending');
    return taskBackend.accept(task);
  });
  lifecycleAction('RejectTask', function (task) {
    if (task.status !== 'pending') throw new Error('RejectTask: task ' + task.taskSid + ' is ' + task.status + ', not pending');
    return taskBackend.reject(task);
  });
  // HangupCall: the call leg ends and the reservation goes to wrap-up (payload {task} or {sid}).
  lifecycleAction('HangupCall', async function (task) {
    await taskBackend.hangup(task);
    task.status = 'wrapping';
  });
  lifecycleAction('WrapupTask', async function (task) {
    await taskBackend.wrapup(task);
    task.status = 'wrapping';
  });
  lifecycleAction('CompleteTask', async function (task) {
    await taskBackend.complete(task);
    task.status = 'completed';
  });
  /** Harness only: replaces the task backend ({accept, reject, hangup, wrapup, complete, refresh?}). */
  Flex._setTaskBackend = function setTaskBackend(backend) {
    taskBackend = Object.assign({}, fixtureBackend, backend);
  };

  /** Flex's incoming-task buttons (pending reservation) and the "Complete" button of a task in wrap-up. */
  function TaskButtons(props) {
    var task = props.task;
    if (!task) return null;
    var button = function (testid, label, action, className) {
      return h(
        'button',
        {
          key: testid,
          type: 'button',
          className: 'fh-task-button ' + className,
          'data-testid': testid,
          'data-task-sid': task.taskSid,
          onClick: function () {
            Actions.invokeAction(action, { sid: task.sid, task: task }).catch(function (error) {
              // eslint-disable-next-line no-console
              console.error(action + ' failed', error);
            });
          },
        },
        label,
      );
    };
    if (task.status === 'pending' && props.where === 'list') {
      return h('div', { className: 'fh-task-buttons' }, [
        button('task-accept', 'Accept', 'AcceptTask', 'fh-accept'),
        button('task-reject', 'Reject', 'RejectTask', 'fh-reject'),
      ]);
    }
    if (task.status === 'wrapping' && props.where !== 'list') return h('div', { className: 'fh-task-buttons' }, [button('task-complete', 'Complete', 'CompleteTask', 'fh-complete')]);
    return null;
  }
  Flex._TaskButtons = TaskButtons;
  TaskCanvasHeader.Content.add(h(TaskButtons, { key: 'harness-task-buttons' }), { sortOrder: 90 });

  function HangUpButton(props) {
    var task = props.task;
    if (!task || task.taskChannelUniqueName !== 'voice') return null;
    return h(
      'button',
      {
        type: 'button',
        className: 'fh-hangup',
        'data-testid': 'harness-hangup',
        // A ringing (pending) call has no agent leg to hang up yet; a wrapped-up one has none any more.
        disabled: task.status === 'pending' || task.status === 'wrapping' || task.status === 'completed',
        onClick: function () {
          Actions.invokeAction('HangupCall', { task: task, sid: task.sid }).catch(function (error) {
            // eslint-disable-next-line no-console
            console.error('HangupCall failed', error);
          });
        },
      },
      'Hang up',
    );
  }
  TaskCanvasHeader.Content.add(h(HangUpButton, { key: 'harness-hangup' }), { sortOrder: 100 });
  Flex._attachTaskRouter = attachTaskRouter;

  global.Twilio = global.Twilio || {};
  global.Twilio.Flex = Flex;
})(window);
