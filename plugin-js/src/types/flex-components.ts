/**
 * Names of the Flex programmable components the plugin touches (the keys of the `flex` object whose
 * `Content` it changes). Used as `componentName` in flex-hooks modules and in registration logs.
 */
export enum FlexComponent {
  TaskCanvasTabs = 'TaskCanvasTabs',
  AgentDesktopViewPanel2 = 'AgentDesktopView.Panel2',
}
