/** Strings of the Segment Lookup panel (feature segment-lookup), English and Spanish. */
import type { StringTable } from '../../../../utils/strings';

/** Keys of the feature's strings (`manager.strings.<key>`). */
export enum StringTemplates {
  Title = 'FlexcoreSegmentLookupTitle',
  TaskSidLabel = 'FlexcoreSegmentLookupTaskSidLabel',
  TaskSidPlaceholder = 'FlexcoreSegmentLookupTaskSidPlaceholder',
  Lookup = 'FlexcoreSegmentLookupButton',
  Loading = 'FlexcoreSegmentLookupLoading',
  Error = 'FlexcoreSegmentLookupError',
  NoSegments = 'FlexcoreSegmentLookupNoSegments',
  Found = 'FlexcoreSegmentLookupFound',
  Copy = 'FlexcoreSegmentLookupCopy',
  Copied = 'FlexcoreSegmentLookupCopied',
  CopyLabel = 'FlexcoreSegmentLookupCopyLabel',
  ServerNotConfigured = 'FlexcoreSegmentLookupServerNotConfigured',
  NoToken = 'FlexcoreSegmentLookupNoToken',
  NoSegmentIdList = 'FlexcoreSegmentLookupNoSegmentIdList',
  RequestFailed = 'FlexcoreSegmentLookupRequestFailed',
  Unreachable = 'FlexcoreSegmentLookupUnreachable',
}

/** The feature's strings table. */
export const stringHook = (): StringTable => ({
  'en-US': {
    [StringTemplates.Title]: 'Segment Lookup',
    [StringTemplates.TaskSidLabel]: 'Task SID',
    [StringTemplates.TaskSidPlaceholder]: 'Enter Task SID',
    [StringTemplates.Lookup]: 'Lookup',
    [StringTemplates.Loading]: 'Loading...',
    [StringTemplates.Error]: 'Error: {{message}}',
    [StringTemplates.NoSegments]: 'No segments found',
    [StringTemplates.Found]: 'Found {{count}} segment ID(s):',
    [StringTemplates.Copy]: 'Copy',
    [StringTemplates.Copied]: 'Copied',
    [StringTemplates.CopyLabel]: 'Copy segment ID {{id}}',
    [StringTemplates.ServerNotConfigured]:
      'flexcore-server is not configured (ui_attributes.custom_data.features.flexcore.server_url)',
    [StringTemplates.NoToken]: 'No Flex token: sign in to Flex again',
    [StringTemplates.NoSegmentIdList]: 'The server answered without a segment_ids list',
    [StringTemplates.RequestFailed]: 'Request failed (HTTP {{status}})',
    [StringTemplates.Unreachable]: 'Could not reach flexcore-server: {{reason}}',
  },
  'es-MX': {
    [StringTemplates.Title]: 'Búsqueda de segmentos',
    [StringTemplates.TaskSidLabel]: 'SID de la tarea',
    [StringTemplates.TaskSidPlaceholder]: 'Ingrese el SID de la tarea',
    [StringTemplates.Lookup]: 'Buscar',
    [StringTemplates.Loading]: 'Cargando...',
    [StringTemplates.Error]: 'Error: {{message}}',
    [StringTemplates.NoSegments]: 'No se encontraron segmentos',
    [StringTemplates.Found]: 'Se encontraron {{count}} ID de segmento:',
    [StringTemplates.Copy]: 'Copiar',
    [StringTemplates.Copied]: 'Copiado',
    [StringTemplates.CopyLabel]: 'Copiar el ID de segmento {{id}}',
    [StringTemplates.ServerNotConfigured]:
      'flexcore-server no está configurado (ui_attributes.custom_data.features.flexcore.server_url)',
    [StringTemplates.NoToken]: 'No hay token de Flex: vuelva a iniciar sesión en Flex',
    [StringTemplates.NoSegmentIdList]: 'El servidor respondió sin una lista segment_ids',
    [StringTemplates.RequestFailed]: 'La solicitud falló (HTTP {{status}})',
    [StringTemplates.Unreachable]: 'No se pudo contactar con flexcore-server: {{reason}}',
  },
});
