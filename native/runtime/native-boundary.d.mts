// Types of native-boundary.mjs, for the grader's TypeScript.
export declare const REFUSED_IMPORT_CODE: 'EACCES';
export declare function refusedNativeImport(
  importer: string | undefined,
  target: string | undefined,
  submissionDir: string | undefined,
): string | null;
export declare function refusedImportError(message: string): Error & { code: 'EACCES' };
