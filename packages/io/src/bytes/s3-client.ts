/**
 * The AWS SDK's S3 client, made once per thread and settings. This module
 * imports @aws-sdk/client-s3 (about 0.2 s of loading), so it is itself
 * imported only when an s3:// input is used (open-bytes.ts, inputs.ts).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { IoError } from '@linreg/errors';
import { remoteOptions } from './remote-options.js';
import { REMOTE_ATTEMPTS } from './retry.js';

export {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';

const clients = new Map<string, S3Client>();

/*
 * The SDK warns on Node < 22, in a multi-line process warning, that its
 * versions after January 2027 will need Node 22. The version pinned here runs
 * on Node 20 (package.json engines), and the warning would break linreg's
 * one-line stderr; it stays on when the user set the variable.
 */
if ((process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? '') === '') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

/** The environment variables the SDK's default credential chain reads first. */
const CREDENTIAL_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
];

/** The endpoint in use (an option or the environment), or undefined for AWS itself. */
export function s3Endpoint(): string | undefined {
  const env = process.env;
  const endpoint =
    remoteOptions().s3Endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? undefined;
  return endpoint === '' ? undefined : endpoint;
}

/**
 * A client for the current remote options: credentials from the SDK's
 * default chain (environment, shared files, SSO, instance metadata),
 * path-style addressing for a custom endpoint (S3-compatible stores rarely
 * have per-bucket host names), and the SDK's standard retry mode (exponential
 * backoff on 5xx, throttling and connection errors) for REMOTE_ATTEMPTS.
 */
export function s3Client(): S3Client {
  const endpoint = s3Endpoint();
  const env = process.env;
  const region =
    remoteOptions().s3Region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  // A client keeps the credentials it resolved: a changed environment gets a new one.
  const key = [endpoint ?? '', region, ...CREDENTIAL_ENV.map((k) => env[k] ?? '')].join('\n');
  let client = clients.get(key);
  if (client === undefined) {
    client = new S3Client({
      region,
      maxAttempts: REMOTE_ATTEMPTS,
      ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    });
    clients.set(key, client);
  }
  return client;
}

/** Fields the SDK puts on its errors. */
interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/**
 * An SDK failure as one IoError naming the URL: missing object or bucket
 * ('not-found'), access denied, no credentials, no connection ('unreadable').
 */
export function s3Error(file: string, where: string | undefined, error: unknown): IoError {
  if (error instanceof IoError) return error;
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? e.Code ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const after = attempts !== undefined && attempts > 1 ? `, after ${attempts} attempts` : '';
  if (name === 'NoSuchBucket') {
    return new IoError('not-found', { file, where }, `S3: no such bucket (HTTP ${status ?? 404})`);
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new IoError('not-found', { file, where }, `S3: no such object (HTTP ${status ?? 404})`);
  }
  if (status === 403 || status === 401 || name === 'AccessDenied' || name === 'Forbidden') {
    return new IoError(
      'unreadable',
      { file, where },
      `S3: access denied (HTTP ${status ?? 403} ${name}): check the credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE, …)`,
    );
  }
  if (name === 'CredentialsProviderError') {
    return new IoError(
      'unreadable',
      { file, where },
      'S3: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)',
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const endpoint = s3Endpoint() ?? 'AWS S3';
    return new IoError(
      'unreadable',
      { file, where },
      `S3: cannot connect to ${endpoint} (${code}${after})`,
    );
  }
  const said = (e.message ?? '').split('\n')[0] ?? '';
  const http = status === undefined ? '' : ` (HTTP ${status}${after})`;
  return new IoError(
    'unreadable',
    { file, where },
    `S3: ${name}${http}${said === '' ? '' : `: ${said}`}`,
  );
}
