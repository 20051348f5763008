// Copy to public/appConfig.js for `npx flex-plugin start` (local Flex with your account's login).
// ui_attributes.custom_data.features.flexcore keys are documented in plugin-js/README.md.
var appConfig = {
  pluginService: {
    enabled: true,
    url: '/plugins',
  },
  sso: {
    accountSid: '', // your Twilio Account SID (AC...)
  },
  logLevel: 'info',
  custom_data: {
    features: {
      flexcore: {
        enabled: true,
        server_url: 'http://127.0.0.1:8080',
        core_status: { enabled: true },
      },
    },
  },
};
