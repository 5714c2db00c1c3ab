/**
 * Settings of remote reads. They are per run, like the AWS environment
 * variables they complement, so io keeps them per thread: the planner sets
 * them from PlanOptions.remote in the calling thread, and every work unit of
 * a remote file carries them (WorkUnit.remote, plain data) so a worker sets
 * them before it opens the file (read-unit.ts). Each thread then makes its
 * own clients (s3-client.ts): bytes never pass through the main thread.
 */
export interface RemoteOptions {
  /**
   * An S3-compatible endpoint (`http://127.0.0.1:9000`), addressed
   * path-style (`endpoint/bucket/key`); default: `AWS_ENDPOINT_URL_S3`, then
   * `AWS_ENDPOINT_URL`, then AWS itself (virtual-hosted style).
   */
  readonly s3Endpoint?: string | undefined;
  /** Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the SDK's profile, then us-east-1. */
  readonly s3Region?: string | undefined;
}

let current: RemoteOptions = {};

/** Sets this thread's remote options (see above). */
export function setRemoteOptions(options: RemoteOptions | undefined): void {
  current = options ?? {};
}

export function remoteOptions(): RemoteOptions {
  return current;
}
