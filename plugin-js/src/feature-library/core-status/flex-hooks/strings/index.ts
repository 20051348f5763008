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
  TaskSidRequired = 'FlexcoreCoreStatusTaskSidRequired',
  TaskSidWrongLength = 'FlexcoreCoreStatusTaskSidWrongLength',
  TaskSidWrongPrefix = 'FlexcoreCoreStatusTaskSidWrongPrefix',
  TaskSidNotHex = 'FlexcoreCoreStatusTaskSidNotHex',
  InvalidTaskSid = 'FlexcoreCoreStatusInvalidTaskSid',
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
    [StringTemplates.TaskSidRequired]: 'The Task SID is empty.',
    [StringTemplates.TaskSidWrongLength]: 'A Task SID has 34 characters ("{{prefix}}" and 32 hexadecimal digits); this one has {{length}}.',
    [StringTemplates.TaskSidWrongPrefix]: 'A Task SID starts with "{{prefix}}".',
    [StringTemplates.TaskSidNotHex]: 'After "{{prefix}}", a Task SID has only hexadecimal digits (0-9, a-f).',
    [StringTemplates.InvalidTaskSid]: 'Not a Task SID',
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
    [StringTemplates.TaskSidRequired]: 'El SID de la tarea está vacío.',
    [StringTemplates.TaskSidWrongLength]: 'Un SID de tarea tiene 34 caracteres («{{prefix}}» y 32 dígitos hexadecimales); este tiene {{length}}.',
    [StringTemplates.TaskSidWrongPrefix]: 'Un SID de tarea empieza con «{{prefix}}».',
    [StringTemplates.TaskSidNotHex]: 'Después de «{{prefix}}», un SID de tarea solo tiene dígitos hexadecimales (0-9, a-f).',
    [StringTemplates.InvalidTaskSid]: 'No es un SID de tarea',
  },
});
