import { Type } from '@nestjs/common';
import {
  AcceptedDto,
  AssetDto,
  AssetPageDto,
  HealthDto,
  JobDto,
  JobPageDto,
  PausedDto,
  StatsOverviewDto,
} from './responses.dto';

/** A success answer of a route. */
export interface OkDoc {
  status: number;
  description: string;
  type?: Type<unknown>;
  /** Non-JSON bodies: file downloads, event streams, Prometheus text. */
  produces?: string[];
}

/** What the OpenAPI document says of one route beyond what its decorators and DTOs say. */
export interface RouteDoc {
  ok: OkDoc[];
  /** Error statuses besides the ones every route of its kind has (400, 401, 404, 429). */
  errors?: number[];
  /** `POST /api/assets`: a multipart body. */
  multipart?: boolean;
}

const FILE = ['application/octet-stream'];
const EVENTS = ['text/event-stream'];
const accepted: RouteDoc = {
  ok: [
    { status: 202, description: 'accepted: the job is queued (see `Location`)', type: AcceptedDto },
  ],
  errors: [409, 422],
};

/**
 * API.md as data: success answers and extra errors per `Controller.method`. A route missing here
 * keeps what its decorators and the swagger plugin derive (see openapi.ts).
 */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'HealthController.live': { ok: [{ status: 200, description: 'alive', type: HealthDto }] },
  'HealthController.ready': {
    ok: [{ status: 200, description: 'store and blob storage reachable' }],
    errors: [503],
  },
  'MetricsController.scrape': {
    ok: [{ status: 200, description: 'Prometheus text format', produces: ['text/plain'] }],
  },
  'JobsController.list': { ok: [{ status: 200, description: 'newest first', type: JobPageDto }] },
  'JobsController.stats': {
    ok: [{ status: 200, description: 'overview', type: StatsOverviewDto }],
  },
  'JobsController.get': {
    ok: [{ status: 200, description: 'the job with messages and history', type: JobDto }],
  },
  'JobsController.cancel': {
    ok: [
      { status: 200, description: 'a queued job: now cancelled', type: JobDto },
      { status: 202, description: 'a running job: cancel requested', type: JobDto },
    ],
    errors: [409],
  },
  'JobsController.retry': {
    ok: [{ status: 202, description: 'queued again (same id)', type: JobDto }],
    errors: [409],
  },
  'JobsController.remove': { ok: [{ status: 204, description: 'removed with its blobs' }] },
  'JobsController.result': {
    ok: [
      { status: 200, description: 'the result file', produces: FILE },
      { status: 206, description: 'a byte range of it', produces: FILE },
      { status: 303, description: 'the result is an asset: its location' },
      { status: 304, description: 'not modified (If-None-Match)' },
    ],
    errors: [409, 410, 416],
  },
  'AdminQueueController.pause': {
    ok: [{ status: 200, description: 'paused', type: PausedDto }],
    errors: [403],
  },
  'AdminQueueController.resume': {
    ok: [{ status: 200, description: 'resumed', type: PausedDto }],
    errors: [403],
  },
  'SseController.job': {
    ok: [{ status: 200, description: 'snapshot, progress…, terminal event', produces: EVENTS }],
  },
  'SseController.stats': { ok: [{ status: 200, description: '`stats` events', produces: EVENTS }] },
  'AssetsController.upload': {
    ok: [{ status: 201, description: 'stored; a thumbnail job is queued', type: AssetDto }],
    errors: [413, 415, 422],
    multipart: true,
  },
  'AssetsController.list': {
    ok: [{ status: 200, description: 'newest first', type: AssetPageDto }],
  },
  'AssetsController.get': { ok: [{ status: 200, description: 'the asset', type: AssetDto }] },
  'AssetsController.content': {
    ok: [{ status: 200, description: 'the original bytes', produces: FILE }],
  },
  'AssetsController.thumbnail': {
    ok: [
      {
        status: 200,
        description: 'the thumbnail image',
        produces: ['image/webp', 'image/png', 'image/jpeg'],
      },
    ],
  },
  'AssetsController.remove': { ok: [{ status: 204, description: 'removed' }] },
  'CompositeController.export': accepted,
  'DiagnosticsController.submit': accepted,
  'MosaicController.export': accepted,
  'MosaicController.save': accepted,
  'ThumbnailController.submit': accepted,
};
