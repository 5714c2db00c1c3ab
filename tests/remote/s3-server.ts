/**
 * A local S3-compatible server for the remote-input tests: s3rver (npm) on
 * 127.0.0.1 with a bucket, filled from local files with the AWS SDK. s3rver
 * knows the access key `S3RVER` (secret `S3RVER`) and refuses any other key
 * (403 InvalidAccessKeyId); it does not check SigV4 signatures.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

// As io's s3-client.ts does: no multi-line Node-version warning from the SDK on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';

export interface S3Server {
  readonly endpoint: string;
  readonly bucket: string;
  /** Uploads local `file` as `key`. */
  put(key: string, file: string): Promise<void>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'data'): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'linreg-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY },
  });
  return {
    endpoint,
    bucket,
    put: async (key, file) => {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(file) }),
      );
    },
    close: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
