/** Group role the directory migrations grant to; the control plane's login role joins it. */
export const DIRECTORY_APP_GROUP = 'localstore_directory_app';
