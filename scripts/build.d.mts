// Types of scripts/build.mjs, for the tests that import it.
export const LOADED_AT_RUN_TIME: string[];
export const OPTIONAL_AT_RUN_TIME: string[];
export const ENTRIES: Record<string, string>;
export function buildDist(root?: string, only?: string[]): Promise<void>;
export function bundle(root: string, entryPoints: Record<string, string>, outdir: string): Promise<void>;
export function asciiOnly(contents: Uint8Array): Uint8Array;
