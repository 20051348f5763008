import { getFlexcoreConfig, readFlexcoreAttributes, resolveFlexcoreConfig } from '.';

describe('resolveFlexcoreConfig', () => {
  it('enables everything and leaves the server unconfigured by default', () => {
    expect(resolveFlexcoreConfig({}, {})).toEqual({
      enabled: true,
      serverUrl: undefined,
      coreStatus: { enabled: true },
      segmentLookup: { enabled: true },
      callback: { enabled: true, maxAttempts: undefined },
      problems: [],
      problemDetails: [],
    });
  });

  it('reads ui_attributes keys and normalises the server URL (no trailing slash)', () => {
    const config = resolveFlexcoreConfig(
      { enabled: true, server_url: ' https://flexcore.example.com/ ', core_status: { enabled: false } },
      {},
    );
    expect(config.serverUrl).toBe('https://flexcore.example.com');
    expect(config.coreStatus.enabled).toBe(false);
    expect(config.problems).toEqual([]);
  });

  it('falls back to FLEX_APP_* variables, and ui_attributes win over them', () => {
    const env = { FLEX_APP_FLEXCORE_SERVER_URL: 'http://127.0.0.1:8080', FLEX_APP_FLEXCORE_CORE_STATUS_ENABLED: 'false' };
    expect(resolveFlexcoreConfig({}, env)).toMatchObject({ serverUrl: 'http://127.0.0.1:8080', coreStatus: { enabled: false } });
    expect(
      resolveFlexcoreConfig({ server_url: 'https://a.example.com', core_status: { enabled: true } }, env),
    ).toMatchObject({ serverUrl: 'https://a.example.com', coreStatus: { enabled: true } });
  });

  it('ignores values of the wrong type and says which key and what was expected', () => {
    const config = resolveFlexcoreConfig({ enabled: 'yes', server_url: 42, core_status: 'on' }, {});
    expect(config.enabled).toBe(true);
    expect(config.serverUrl).toBeUndefined();
    expect(config.coreStatus.enabled).toBe(true);
    expect(config.problems).toEqual([
      'core_status must be an object, got "on"',
      'enabled must be true or false, got "yes"',
      'server_url must be a URL string, got 42',
    ]);
    // The same problems, machine-readable (the flexcore tab says them in the user's language).
    expect(config.problemDetails).toEqual([
      { message: 'core_status must be an object, got "on"', reason: 'not_object', params: { key: 'core_status', got: '"on"' } },
      { message: 'enabled must be true or false, got "yes"', reason: 'not_boolean', params: { key: 'enabled', got: '"yes"' } },
      { message: 'server_url must be a URL string, got 42', reason: 'not_url_string', params: { key: 'server_url', got: '42' } },
    ]);
    expect(resolveFlexcoreConfig({ callback: { max_attempts: true } }, {}).problemDetails).toEqual([
      { message: 'callback.max_attempts must be a number, got true', reason: 'not_number', params: { key: 'callback.max_attempts', got: 'true' } },
    ]);
  });

  it('rejects server URLs that are not absolute http(s) URLs', () => {
    expect(resolveFlexcoreConfig({ server_url: 'flexcore.example.com' }, {}).problems).toEqual([
      'server_url must be an absolute http(s) URL, got "flexcore.example.com"',
    ]);
    expect(resolveFlexcoreConfig({ server_url: 'javascript:alert(1)' }, {}).problems).toEqual([
      'server_url must use http or https, got javascript:',
    ]);
    expect(resolveFlexcoreConfig({}, { FLEX_APP_FLEXCORE_CORE_STATUS_ENABLED: 'maybe' }).problems).toEqual([
      'environment fallback for core_status.enabled must be "true" or "false", got "maybe"',
    ]);
    expect(resolveFlexcoreConfig({ server_url: 'ftp://x' }, {}).problemDetails.map((p) => [p.reason, p.params])).toEqual([
      ['not_http', { key: 'server_url', got: 'ftp:' }],
    ]);
    expect(resolveFlexcoreConfig({}, { FLEX_APP_FLEXCORE_SERVER_URL: 'nope' }).problemDetails.map((p) => [p.reason, p.params])).toEqual([
      ['not_absolute_url', { key: 'FLEX_APP_FLEXCORE_SERVER_URL', got: '"nope"' }],
    ]);
    expect(resolveFlexcoreConfig({}, { FLEX_APP_FLEXCORE_CORE_STATUS_ENABLED: 'maybe' }).problemDetails[0]).toMatchObject({
      reason: 'env_not_boolean',
      params: { key: 'core_status.enabled', got: '"maybe"' },
    });
  });
});

describe('readFlexcoreAttributes', () => {
  const flexcore = { server_url: 'https://x.example.com' };

  it('reads custom_data.features.flexcore from manager.configuration (ui_attributes merged by Flex)', () => {
    expect(readFlexcoreAttributes({ configuration: { custom_data: { features: { flexcore } } } } as never)).toBe(flexcore);
  });

  it('falls back to serviceConfiguration.ui_attributes, and to {} when absent or malformed', () => {
    expect(
      readFlexcoreAttributes({
        configuration: {},
        serviceConfiguration: { ui_attributes: { custom_data: { features: { flexcore } } } },
      } as never),
    ).toBe(flexcore);
    expect(readFlexcoreAttributes(undefined)).toEqual({});
    expect(readFlexcoreAttributes({ configuration: { custom_data: { features: [] } } } as never)).toEqual({});
    expect(readFlexcoreAttributes({ configuration: { custom_data: { features: { flexcore: 'on' } } } } as never)).toEqual({});
  });
});

describe('getFlexcoreConfig', () => {
  it('logs each configuration problem as a warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const config = getFlexcoreConfig({ configuration: { custom_data: { features: { flexcore: { enabled: 1 } } } } } as never, {});
    expect(config.problems).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(
      '[plugin-flexcore]',
      'ui_attributes.custom_data.features.flexcore: enabled must be true or false, got 1',
    );
    warn.mockRestore();
  });
});
