/*
 * Boots the harness page: reads the harness configuration and task fixtures, creates the stub Flex manager,
 * loads the REAL plugin bundle built by the Flex tooling (it calls Twilio.Flex.Plugins.init), waits for the
 * plugin's init(flex, manager), then renders the agent desktop.
 *
 * URL parameters: ?task=<Task SID> selects a task (?task=none: no task selected, as after Flex starts with an
 * empty task list), ?tab=<uniqueName> selects a task canvas tab
 * (e.g. ?tab=flexcore), ?csp=no-wasm is handled by the server (a CSP without 'wasm-unsafe-eval'), ?lang=<tag>
 * sets Flex's locale (en-US, es-MX; the topbar's language switch sets it and reloads).
 *
 * Live desktop (config.live, serve.mjs --emulator-url …): instead of the fixture file, the task list polls the
 * signed-in worker's reservations (GET /harness/live/tasks, every config.live.pollMs ms); the Flex actions
 * AcceptTask / RejectTask / HangupCall / WrapupTask / CompleteTask go to TaskRouter and the emulated phone
 * network through the harness server; a "Calls" strip (harness chrome, not Flex) makes the emulator play calls.
 */
(function harness(global) {
  'use strict';

  var React = global.React;
  var h = React.createElement;
  var Flex = global.Twilio.Flex;
  var statusEl = document.getElementById('harness-status');

  function setStatus(state, text) {
    statusEl.setAttribute('data-state', state);
    statusEl.textContent = text;
  }

  async function fetchJson(url) {
    var response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) throw new Error(url + ': HTTP ' + response.status + ' ' + (await response.text()));
    return response.json();
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = url;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error('could not load ' + url + ' (is the plugin built? npm run build in plugin-js)'));
      };
      document.head.appendChild(script);
    });
  }

  async function postJson(url, body) {
    var response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body || {}),
    });
    var text = await response.text();
    var json;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = undefined;
    }
    if (!response.ok) throw new Error('HTTP ' + response.status + ': ' + (json && json.error ? json.error : text));
    return json;
  }

  // ---------------------------------------------------------------------------------------------
  // Live desktop: the worker's tasks, polled from TaskRouter through the harness server
  // ---------------------------------------------------------------------------------------------
  /**
   * A store of the worker's live tasks. An unchanged task keeps its object (React and the plugin see the same
   * ITask); a changed one is a new object with setAttributes. manager._harness.tasks mirrors it (keyed by
   * reservation SID, as Flex's worker task map), so the plugin's "is the task still held" checks work.
   */
  function createLiveTasks(manager, config) {
    var listeners = new Set();
    var state = { tasks: [], error: undefined };
    var inFlight = null;
    var again = false;
    var fingerprint = function (task) {
      return JSON.stringify(task);
    };
    async function pollOnce() {
      try {
        var data = await fetchJson('/harness/live/tasks');
        var previous = new Map();
        state.tasks.forEach(function (t) {
          previous.set(t.sid, t);
        });
        var changed = state.error !== undefined || data.tasks.length !== state.tasks.length;
        var next = data.tasks.map(function (incoming, index) {
          var before = previous.get(incoming.sid);
          if (before && fingerprint(before) === fingerprint(incoming)) {
            if (state.tasks[index] !== before) changed = true;
            return before;
          }
          changed = true;
          Flex._attachTaskRouter([incoming], true);
          return incoming;
        });
        state = { tasks: next, error: undefined };
        manager._harness.tasks.clear();
        next.forEach(function (t) {
          manager._harness.tasks.set(t.sid, t);
        });
        if (changed) listeners.forEach(function (l) {
          l(state);
        });
      } catch (error) {
        state = { tasks: state.tasks, error: error.message };
        listeners.forEach(function (l) {
          l(state);
        });
      }
    }
    /** Polls now (after the poll in flight, if any). */
    function refresh() {
      if (inFlight) {
        again = true;
        return inFlight;
      }
      inFlight = (async function () {
        do {
          again = false;
          await pollOnce();
        } while (again);
      })().finally(function () {
        inFlight = null;
      });
      return inFlight;
    }
    (function loop() {
      refresh().then(function () {
        global.setTimeout(loop, config.live.pollMs || 1000);
      });
    })();
    return {
      refresh: refresh,
      get: function () {
        return state;
      },
      subscribe: function (listener) {
        listeners.add(listener);
        return function () {
          listeners.delete(listener);
        };
      },
    };
  }

  function useLiveState(live) {
    var s = React.useState(live.get());
    React.useEffect(function () {
      s[1](live.get());
      return live.subscribe(s[1]);
    }, []);
    return s[0];
  }

  /** The live task backend for the stub's lifecycle actions. */
  function liveBackend(live) {
    var tasksUrl = function (task) {
      return '/harness/live/tasks/' + task.taskSid;
    };
    return {
      accept: function (task) {
        return postJson(tasksUrl(task) + '/reservations/' + task.sid, { reservationStatus: 'accepted' });
      },
      reject: function (task) {
        return postJson(tasksUrl(task) + '/reservations/' + task.sid, { reservationStatus: 'rejected' });
      },
      hangup: function (task) {
        if (task.taskChannelUniqueName !== 'voice') throw new Error('HangupCall: ' + task.taskSid + ' is not a voice task');
        return postJson('/harness/live/calls/' + task.taskSid + '/hang-up', { party: 'worker' });
      },
      wrapup: function (task) {
        // After a call TaskRouter has already moved the reservation to wrapping; otherwise the agent ends it here.
        if (task.reservationStatus === 'wrapping') return undefined;
        return postJson(tasksUrl(task) + '/reservations/' + task.sid, { reservationStatus: 'wrapping' });
      },
      complete: function (task) {
        return postJson(tasksUrl(task) + '/reservations/' + task.sid, { reservationStatus: 'completed' });
      },
      refresh: live.refresh,
    };
  }

  /** The voice task the call buttons act on: the selected one, else the newest assigned voice task. */
  function currentCall(tasks, manager) {
    var voice = tasks.filter(function (t) {
      return t.taskChannelUniqueName === 'voice' && t.status === 'assigned';
    });
    var selected = voice.find(function (t) {
      return t.taskSid === manager._harness.selectedTaskSid;
    });
    return selected || voice[voice.length - 1];
  }

  /** Harness chrome (not Flex): buttons that make the emulator play calls, each with its result. */
  function CallsStrip(props) {
    var state = useLiveState(props.live);
    var results = React.useState({});
    var setResult = function (action, resultState, text, extra) {
      results[1](function (current) {
        var next = Object.assign({}, current);
        next[action] = Object.assign({ state: resultState, text: text }, extra || {});
        return next;
      });
    };
    var run = function (action, work) {
      setResult(action, 'busy', '…');
      work()
        .then(function (answer) {
          setResult(action, 'ok', answer.text, answer);
          return props.live.refresh();
        })
        .catch(function (error) {
          setResult(action, 'error', error.message);
        });
    };
    var call = currentCall(state.tasks, props.manager);
    var needCall = function () {
      if (!call) throw new Error('no assigned voice task: accept an incoming call first');
      return call;
    };
    var actions = [
      ['incoming', 'Incoming call', async function () {
        var answer = await postJson('/harness/live/calls', {});
        return { text: 'Incoming call → task ' + answer.taskSid + ' for worker ' + answer.workerSid, taskSid: answer.taskSid };
      }],
      ['customer-hangup', 'Customer hangs up', async function () {
        var task = needCall();
        await postJson('/harness/live/calls/' + task.taskSid + '/hang-up', { party: 'customer' });
        return { text: 'The customer hung up on task ' + task.taskSid, taskSid: task.taskSid };
      }],
      ['agent-hangup', 'Agent hangs up', async function () {
        var task = needCall();
        await Flex.Actions.invokeAction('HangupCall', { sid: task.sid, task: task });
        return { text: 'The agent hung up task ' + task.taskSid + ' (HangupCall)', taskSid: task.taskSid };
      }],
      ['voicemail', 'Voicemail left', async function () {
        var answer = await postJson('/harness/live/voicemails', {});
        var server = answer && answer.body;
        var taskSid = server && server.taskSid;
        if (answer.status !== 200 || !taskSid) throw new Error('flexcore-server answered Studio HTTP ' + answer.status + ' ' + JSON.stringify(server));
        return { text: 'Voicemail ' + answer.recordingSid + ' left → task ' + taskSid, taskSid: taskSid };
      }],
      ['studio-extension', 'Studio asks for extension 1234', async function () {
        var answer = await postJson('/harness/live/studio/agent-extension', { extension: '1234' });
        var body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        return { text: 'Studio asked for 1234: HTTP ' + answer.status + ' ' + body };
      }],
    ];
    return h(
      'section',
      { className: 'fh-calls', 'data-testid': 'harness-calls', 'aria-label': 'Harness call controls (not part of Flex)' },
      h('span', { className: 'fh-calls-label' }, 'Calls (harness)'),
      actions.map(function (a) {
        var result = results[0][a[0]];
        return h(
          'span',
          { key: a[0], className: 'fh-call' },
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'harness-call-' + a[0],
              disabled: Boolean(result && result.state === 'busy'),
              onClick: function () {
                run(a[0], a[2]);
              },
            },
            a[1],
          ),
          result
            ? h(
                'output',
                {
                  className: 'fh-call-result',
                  'data-testid': 'harness-call-result-' + a[0],
                  'data-state': result.state,
                  'data-task-sid': result.taskSid || undefined,
                  title: result.text,
                },
                result.text,
              )
            : null,
        );
      }),
      h('span', { className: 'fh-calls-worker', 'data-testid': 'harness-live-worker' }, 'worker ' + props.config.live.workerSid),
      state.error ? h('span', { className: 'fh-calls-error', 'data-testid': 'harness-live-error' }, state.error) : null,
    );
  }

  function Desktop(props) {
    var live = props.live ? useLiveState(props.live) : undefined;
    var tasks = live ? live.tasks : props.tasks;
    var params = new URLSearchParams(global.location.search);
    var initialSid = params.get('task');
    var initialTask =
      initialSid === 'none'
        ? undefined
        : tasks.find(function (t) {
            return t.taskSid === initialSid;
          }) || (props.live ? undefined : tasks[0]);
    var selected = React.useState(initialTask ? initialTask.taskSid : undefined);
    var tab = React.useState(params.get('tab') || undefined);

    React.useEffect(function () {
      // Flex's SelectTask action: payload {sid: reservation SID} (or {task}).
      Flex.Actions.registerAction('SelectTask', function (payload) {
        var known = Array.from(props.manager._harness.tasks.values());
        var task = payload.task ||
          known.find(function (t) {
            return t.sid === payload.sid || t.taskSid === payload.sid;
          });
        if (!task) throw new Error('SelectTask: no task with sid ' + payload.sid);
        props.manager._harness.selectedTaskSid = task.taskSid;
        selected[1](task.taskSid);
      });
    }, []);

    if (initialTask && props.manager._harness.selectedTaskSid === undefined) props.manager._harness.selectedTaskSid = initialTask.taskSid;
    var selectedTask = tasks.find(function (t) {
      return t.taskSid === selected[0];
    });
    return h(Flex.AgentDesktopView, {
      tasks: tasks,
      selectedTask: selectedTask,
      selectedTabName: tab[0],
      onSelectTab: tab[1],
    });
  }

  /** The topbar's language switch: Flex's available locales; choosing one calls setLocalePreference (reload). */
  function bindLanguageSwitch(manager) {
    var select = document.getElementById('harness-language');
    if (!select) return;
    manager.localization.availableLocales.forEach(function (locale) {
      var option = document.createElement('option');
      option.value = locale.tag;
      option.textContent = locale.name;
      select.appendChild(option);
    });
    select.value = manager.localization.localeTag;
    document.documentElement.lang = manager.localization.localeTag;
    select.addEventListener('change', function () {
      manager.localization.setLocalePreference(select.value);
    });
  }

  async function start() {
    var config = await fetchJson('/harness/config.json');
    var tasks = config.live ? [] : (await fetchJson('/harness/fixtures/tasks.json')).tasks;
    // ?token=<Flex token>&roles=a,b sign the harness user in as someone else (e.g. a supervisor whose token
    // the emulator issued), so supervisor views (agent-extensions) can be shown.
    var userParams = new URLSearchParams(global.location.search);
    if (userParams.get('token')) config.user = Object.assign({}, config.user, { token: userParams.get('token') });
    if (userParams.get('roles')) config.user = Object.assign({}, config.user, { roles: userParams.get('roles').split(',') });
    var manager = Flex._createManager({
      uiAttributes: config.ui_attributes,
      user: config.user,
      accountSid: config.accountSid,
      workerSid: config.workerSid,
    });
    tasks.forEach(function (task) {
      manager._harness.tasks.set(task.sid, task);
    });
    bindLanguageSwitch(manager);
    Flex._attachTaskRouter(tasks, Boolean(config.taskRouter));

    var live;
    if (config.live) {
      live = createLiveTasks(manager, config);
      Flex._setTaskBackend(liveBackend(live));
      // Flex selects the task the agent accepts.
      Flex.Actions.addListener('afterAcceptTask', function (payload) {
        var task = payload.task || manager._harness.tasks.get(payload.sid);
        if (task) return Flex.Actions.invokeAction('SelectTask', { sid: task.sid });
        return undefined;
      });
      await live.refresh();
    }

    await loadScript(config.bundleUrl);
    if (Flex.Plugins._inits.length === 0) {
      throw new Error(config.bundleUrl + ' did not call Twilio.Flex.Plugins.init');
    }
    var plugins = await Promise.all(Flex.Plugins._inits);

    global.ReactDOM.render(h(Desktop, { tasks: tasks, manager: manager, live: live }), document.getElementById('flex-root'));
    if (live) {
      document.body.classList.add('fh-live');
      var callsRoot = document.createElement('div');
      callsRoot.id = 'harness-calls-root';
      document.getElementById('flex-root').parentNode.insertBefore(callsRoot, document.getElementById('flex-root'));
      global.ReactDOM.render(h(CallsStrip, { live: live, manager: manager, config: config }), callsRoot);
    }
    // Side navigation and the view collection (views other than the agent desktop), in their own root.
    var viewsRoot = document.createElement('div');
    viewsRoot.id = 'flex-views';
    document.getElementById('flex-root').parentNode.insertBefore(viewsRoot, document.getElementById('flex-root'));
    global.ReactDOM.render(h(React.Fragment, null, h(Flex.SideNav), h(Flex.ViewCollection)), viewsRoot);
    setStatus(
      'ready',
      'plugins: ' +
        plugins
          .map(function (p) {
            return p.name + '@' + p.version;
          })
          .join(', '),
    );
  }

  start().catch(function (error) {
    // eslint-disable-next-line no-console
    console.error('flexcore harness failed to start', error);
    setStatus('error', 'harness error: ' + (error && error.message ? error.message : String(error)));
  });
})(window);
