/**
 * @energetic-ai/core re-exports TF.js from packages it bundles but does not install, so its type declarations lose
 * everything they re-export. These are the two backend calls the USE-lite worker needs, as TF.js 4 declares them.
 */
export {};

declare module '@energetic-ai/core' {
  /** Resolves once the selected backend has finished initialising (also when it failed). */
  export function ready(): Promise<void>;
  /** Selects a backend and resolves to whether it initialised; immediate once it has. */
  export function setBackend(backendName: string): Promise<boolean>;
}
