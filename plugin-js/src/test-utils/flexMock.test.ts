// The Flex mock (__mocks__/@twilio/flex-ui.js) emulates the Actions lifecycle that action hooks rely on.
import * as Flex from '@twilio/flex-ui';

it('runs before, on and after listeners in order with the payload', async () => {
  const calls: string[] = [];
  Flex.Actions.addListener('beforeHangupCall', async (payload: { task: string }) => {
    calls.push(`before ${payload.task}`);
  });
  Flex.Actions.addListener('HangupCall', async (payload: { task: string }) => {
    calls.push(`on ${payload.task}`);
  });
  Flex.Actions.addListener('afterHangupCall', async (payload: { task: string }) => {
    calls.push(`after ${payload.task}`);
  });
  await Flex.Actions.invokeAction('HangupCall', { task: 'WT1' });
  expect(calls).toEqual(['before WT1', 'on WT1', 'after WT1']);
});

it('cancels the action when a before listener calls abort()', async () => {
  const on = jest.fn();
  Flex.Actions.addListener('beforeHangupCall', (_payload: unknown, abort: () => void) => abort());
  Flex.Actions.addListener('HangupCall', on);
  await expect(Flex.Actions.invokeAction('HangupCall', {})).rejects.toThrow('cancelled by a beforeHangupCall listener');
  expect(on).not.toHaveBeenCalled();
});
