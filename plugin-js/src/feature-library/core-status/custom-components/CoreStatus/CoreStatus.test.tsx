import React from 'react';
import { render, screen } from '@testing-library/react';
import { CoreError } from 'flexcore';

import { fakeCore, VALID_TASK_SID } from '../../../../test-utils/fakeCore';
import { CoreStatus } from './CoreStatus';
import type { ConfigProblem } from '../../../../utils/configuration';

it('shows the core version, the Task SID and the core verdict for a valid SID', () => {
  const core = fakeCore([VALID_TASK_SID]);
  render(<CoreStatus core={core} taskSid={VALID_TASK_SID} serverUrl="https://flexcore.example.com" />);
  expect(screen.getByTestId('flexcore-core-version')).toHaveTextContent('9.9.9-test');
  expect(screen.getByTestId('flexcore-task-sid')).toHaveTextContent(VALID_TASK_SID);
  expect(screen.getByTestId('flexcore-task-sid-verdict')).toHaveTextContent('Valid Task SID');
  expect(screen.queryByTestId('flexcore-task-sid-message')).toBeNull();
  expect(screen.getByTestId('flexcore-server-url')).toHaveTextContent('https://flexcore.example.com');
  expect(core.checkSid).toHaveBeenCalledWith(VALID_TASK_SID, 'WT', 'TaskSid');
});

it("says why a SID is invalid from the core's reason, and keeps the error code as data-code", () => {
  const core = fakeCore([], new CoreError('InvalidArgument', 'TaskSid must be a Twilio SID: …; got 11 characters', 'sid_wrong_length', { prefix: 'WT', length: '11' }));
  render(<CoreStatus core={core} taskSid="WTnot-a-sid" serverUrl={undefined} />);
  expect(screen.getByTestId('flexcore-task-sid-verdict')).toHaveTextContent('Not a Task SID');
  expect(screen.getByTestId('flexcore-task-sid-verdict')).toHaveAttribute('data-code', 'InvalidArgument');
  expect(screen.getByTestId('flexcore-task-sid-message')).toHaveTextContent(
    'A Task SID has 34 characters ("WT" and 32 hexadecimal digits); this one has 11.',
  );
  expect(screen.getByTestId('flexcore-server-url')).toHaveTextContent('not configured');
});

it("falls back to the core's English message for a reason the plugin does not know (a newer core) or none", () => {
  const { unmount } = render(
    <CoreStatus core={fakeCore([], new CoreError('InvalidArgument', 'TaskSid: something new', 'sid_from_the_future', {}))} taskSid="WTx" serverUrl={undefined} />,
  );
  expect(screen.getByTestId('flexcore-task-sid-message')).toHaveTextContent('TaskSid: something new');
  unmount();
  const core = fakeCore([], new CoreError('InvalidArgument', 'TaskSid must be a Twilio SID: WT + 32 hex digits'));
  render(<CoreStatus core={core} taskSid="WTnot-a-sid" serverUrl={undefined} />);
  expect(screen.getByTestId('flexcore-task-sid-message')).toHaveTextContent('TaskSid must be a Twilio SID: WT + 32 hex digits');
  expect(screen.getByTestId('flexcore-server-url')).toHaveTextContent('not configured');
});

it('says when no task is selected and asks the core nothing', () => {
  const core = fakeCore();
  render(<CoreStatus core={core} taskSid={undefined} serverUrl={undefined} />);
  expect(screen.getByTestId('flexcore-task-sid')).toHaveTextContent('No task selected');
  expect(screen.queryByTestId('flexcore-task-sid-verdict')).toBeNull();
  expect(core.checkSid).not.toHaveBeenCalled();
});

it('lists configuration problems', () => {
  render(
    <CoreStatus core={fakeCore()} taskSid={undefined} serverUrl={undefined} configProblems={['enabled must be true or false, got "yes"']} />,
  );
  expect(screen.getByTestId('flexcore-config-problems')).toHaveTextContent('enabled must be true or false, got "yes"');
});

it("says configuration problems from their reason, and an unknown reason in the reader's English", () => {
  const problems: ConfigProblem[] = [
    { message: 'enabled must be true or false, got "yes"', reason: 'not_boolean', params: { key: 'enabled', got: '"yes"' } },
    { message: 'something new is wrong', reason: 'not_yet_known' as ConfigProblem['reason'], params: { key: 'x', got: '1' } },
  ];
  render(<CoreStatus core={fakeCore()} taskSid={undefined} serverUrl={undefined} configProblems={problems} />);
  const items = screen.getByTestId('flexcore-config-problems').querySelectorAll('li');
  expect(Array.from(items).map((li) => li.textContent)).toEqual([
    'enabled must be true or false; got "yes". The default is used.',
    'something new is wrong',
  ]);
  expect(items[0]).toHaveAttribute('data-reason', 'not_boolean');
});

it('lets errors that are not CoreErrors (a broken core) reach the error boundary', () => {
  const core = fakeCore();
  core.checkSid.mockImplementation(() => {
    throw new TypeError('raw.checkSid is not a function');
  });
  const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  expect(() => render(<CoreStatus core={core} taskSid={VALID_TASK_SID} serverUrl={undefined} />)).toThrow(
    'raw.checkSid is not a function',
  );
  consoleError.mockRestore();
});
