/*
 * Boots the harness page: reads the harness configuration and task fixtures, creates the stub Flex manager,
 * loads the REAL plugin bundle built by the Flex tooling (it calls Twilio.Flex.Plugins.init), waits for the
 * plugin's init(flex, manager), then renders the agent desktop.
 *
 * URL parameters: ?task=<Task SID> selects a task (?task=none: no task selected, as after Flex starts with an
 * empty task list), ?tab=<uniqueName> selects a task canvas tab
 * (e.g. ?tab=flexcore), ?csp=no-wasm is handled by the server (a CSP without 'wasm-unsafe-eval'), ?lang=<tag>
 * sets Flex's locale (en-US, es-MX; the topbar's language switch sets it and reloads).
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

  function Desktop(props) {
    var params = new URLSearchParams(global.location.search);
    var initialSid = params.get('task');
    var initialTask =
      initialSid === 'none'
        ? undefined
        : props.tasks.find(function (t) {
            return t.taskSid === initialSid;
          }) || props.tasks[0];
    var selected = React.useState(initialTask ? initialTask.taskSid : undefined);
    var tab = React.useState(params.get('tab') || undefined);

    React.useEffect(function () {
      // Flex's SelectTask action: payload {sid: reservation SID} (or {task}).
      Flex.Actions.registerAction('SelectTask', function (payload) {
        var task = payload.task ||
          props.tasks.find(function (t) {
            return t.sid === payload.sid || t.taskSid === payload.sid;
          });
        if (!task) throw new Error('SelectTask: no task with sid ' + payload.sid);
        props.manager._harness.selectedTaskSid = task.taskSid;
        selected[1](task.taskSid);
      });
    }, []);

    var selectedTask = props.tasks.find(function (t) {
      return t.taskSid === selected[0];
    });
    return h(Flex.AgentDesktopView, {
      tasks: props.tasks,
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
    var loaded = await Promise.all([fetchJson('/harness/config.json'), fetchJson('/harness/fixtures/tasks.json')]);
    var config = loaded[0];
    var tasks = loaded[1].tasks;
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

    await loadScript(config.bundleUrl);
    if (Flex.Plugins._inits.length === 0) {
      throw new Error(config.bundleUrl + ' did not call Twilio.Flex.Plugins.init');
    }
    var plugins = await Promise.all(Flex.Plugins._inits);

    global.ReactDOM.render(h(Desktop, { tasks: tasks, manager: manager }), document.getElementById('flex-root'));
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
