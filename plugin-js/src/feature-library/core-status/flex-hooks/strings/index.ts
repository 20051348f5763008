/** Strings of the "flexcore" task canvas tab (feature core-status), English and Spanish. */
import type { StringTable } from '../../../../utils/strings';

/** Keys of the feature's strings (`manager.strings.<key>`). */
export enum StringTemplates {
  TabLabel = 'FlexcoreCoreStatusTabLabel',
  Title = 'FlexcoreCoreStatusTitle',
  ComponentLabel = 'FlexcoreCoreStatusComponentLabel',
  CoreVersion = 'FlexcoreCoreStatusCoreVersion',
  TaskSid = 'FlexcoreCoreStatusTaskSid',
  NoTaskSelected = 'FlexcoreCoreStatusNoTaskSelected',
  TaskSidCheck = 'FlexcoreCoreStatusTaskSidCheck',
  ValidTaskSid = 'FlexcoreCoreStatusValidTaskSid',
  Server = 'FlexcoreCoreStatusServer',
  ServerNotConfigured = 'FlexcoreCoreStatusServerNotConfigured',
  Configuration = 'FlexcoreCoreStatusConfiguration',
}

/** The feature's strings table. */
export const stringHook = (): StringTable => ({
  'en-US': {
    [StringTemplates.TabLabel]: 'flexcore',
    [StringTemplates.Title]: 'flexcore',
    [StringTemplates.ComponentLabel]: 'flexcore tab',
    [StringTemplates.CoreVersion]: 'Core version',
    [StringTemplates.TaskSid]: 'Task SID',
    [StringTemplates.NoTaskSelected]: 'No task selected',
    [StringTemplates.TaskSidCheck]: 'Task SID check',
    [StringTemplates.ValidTaskSid]: 'Valid Task SID',
    [StringTemplates.Server]: 'flexcore-server',
    [StringTemplates.ServerNotConfigured]: 'not configured',
    [StringTemplates.Configuration]: 'Configuration',
  },
  'es-MX': {
    [StringTemplates.TabLabel]: 'flexcore',
    [StringTemplates.Title]: 'flexcore',
    [StringTemplates.ComponentLabel]: 'pestaña flexcore',
    [StringTemplates.CoreVersion]: 'Versión del núcleo',
    [StringTemplates.TaskSid]: 'SID de la tarea',
    [StringTemplates.NoTaskSelected]: 'Ninguna tarea seleccionada',
    [StringTemplates.TaskSidCheck]: 'Verificación del SID de la tarea',
    [StringTemplates.ValidTaskSid]: 'SID de tarea válido',
    [StringTemplates.Server]: 'flexcore-server',
    [StringTemplates.ServerNotConfigured]: 'no configurado',
    [StringTemplates.Configuration]: 'Configuración',
  },
});
