/** The parts of esbuild's metafile that {@link bundleProblems} reads. */
export interface BundleMeta {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, { imports?: Array<{ path: string; kind: string; external?: boolean }> }>;
}
/** What is wrong with a Worker bundle: external imports the runtime lacks, Node-only sources. */
export function bundleProblems(meta: BundleMeta): string[];
export const GOAL_GZIP_BYTES: number;
export const FAIL_GZIP_BYTES: number;
