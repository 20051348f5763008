/**
 * Strings of the shared plugin components (FlexcorePanel's loading state, CoreAlert, CoreBoundary), used by
 * every feature. Registered by the feature loader before the features' own tables (utils/strings).
 */
import type { StringTable } from '../utils/strings';

/** Keys of the shared strings (`manager.strings.<key>`). */
export enum StringTemplates {
  Loading = 'FlexcoreCoreLoading',
  LoadingTitle = 'FlexcoreCoreLoadingTitle',
  Unavailable = 'FlexcoreCoreUnavailable',
  ErrorTitle = 'FlexcoreCoreErrorTitle',
  ErrorCode = 'FlexcoreCoreErrorCode',
  StoppedWorking = 'FlexcoreCoreStoppedWorking',
  TryAgain = 'FlexcoreCoreTryAgain',
}

/** The shared strings table (English and Spanish). */
export const stringHook = (): StringTable => ({
  'en-US': {
    [StringTemplates.Loading]: 'Loading the flexcore core…',
    [StringTemplates.LoadingTitle]: 'Loading',
    [StringTemplates.Unavailable]: '{{component}} is unavailable: the flexcore core could not be loaded.',
    [StringTemplates.ErrorTitle]: '{{component}}: {{message}}',
    [StringTemplates.ErrorCode]: 'error code {{code}}',
    [StringTemplates.StoppedWorking]: '{{component}} stopped working.',
    [StringTemplates.TryAgain]: 'Try again',
  },
  'es-MX': {
    [StringTemplates.Loading]: 'Cargando el núcleo de flexcore…',
    [StringTemplates.LoadingTitle]: 'Cargando',
    [StringTemplates.Unavailable]: '{{component}} no está disponible: no se pudo cargar el núcleo de flexcore.',
    [StringTemplates.ErrorTitle]: '{{component}}: {{message}}',
    [StringTemplates.ErrorCode]: 'código de error {{code}}',
    [StringTemplates.StoppedWorking]: '{{component}} dejó de funcionar.',
    [StringTemplates.TryAgain]: 'Volver a intentar',
  },
});
