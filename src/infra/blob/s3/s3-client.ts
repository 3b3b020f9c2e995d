import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { AppConfig } from '../../../config/app-config';

type S3Settings = Pick<NonNullable<AppConfig['s3']>, 'endpoint' | 'region' | 'forcePathStyle'>;

/**
 * The S3 client of the app: endpoint, region and path style from config, credentials from the
 * standard AWS chain (env, shared files, container/instance roles). Checksums only where S3
 * requires them, so S3-compatible stores (MinIO, s3rver) accept streamed uploads.
 */
export function s3ClientConfig(settings: S3Settings): S3ClientConfig {
  return {
    region: settings.region ?? 'us-east-1',
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client(s3ClientConfig(settings));
}
