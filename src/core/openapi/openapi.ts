import { INestApplication, Logger } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import {
  ApiBearerAuth,
  ApiBody,
  ApiQuery,
  ApiResponse,
  DocumentBuilder,
  getSchemaPath,
  OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { QUERY_TOKEN_ROUTE } from '../auth/auth.decorators';
import { ROUTE_DOCS, RouteDoc } from './api-contract';
import { ErrorBodyDto } from './responses.dto';
import { openApiPath, RouteInfo, walkRoutes } from './route-walk';

/** Written by `scripts/openapi-metadata.mjs` during `npm run build` (the swagger plugin's output). */
const PLUGIN_METADATA = '../../openapi.metadata';

const ERROR_TEXT: Record<number, string> = {
  400: 'validation_failed: malformed JSON, query or body',
  401: 'missing, invalid or expired bearer token',
  403: 'forbidden: admins only',
  404: 'not_found (another user’s records are 404 too)',
  409: 'wrong state for this action',
  410: 'result_expired',
  413: 'payload_too_large',
  415: 'unsupported_image (not an image we read, or not multipart)',
  416: 'range_not_satisfiable',
  422: 'unsupported_image, image_too_large, asset_not_found or too_large',
  429: 'queue_full or rate_limited, with Retry-After',
  503: 'unavailable (also while the server drains)',
};

const documented = new WeakSet<object>();

/** The swagger plugin's metadata (DTO fields, comments, return types), when it was generated. */
async function loadPluginMetadata(): Promise<void> {
  try {
    const mod = (await import(PLUGIN_METADATA)) as {
      default: () => Promise<Record<string, unknown>>;
    };
    await SwaggerModule.loadPluginMetadata(mod.default);
  } catch (err) {
    if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    new Logger('OpenAPI').warn('no plugin metadata: run `npm run build` for a complete document');
  }
}

function errorStatuses(route: RouteInfo, doc: RouteDoc | undefined): number[] {
  const status = Reflect.getMetadata(HTTP_CODE_METADATA, route.target) as number | undefined;
  const limited = route.method === 'POST' && (status === 202 || doc?.multipart === true);
  const list = [
    ...(route.path.startsWith('/api') ? [400] : []),
    ...(route.public ? [] : [401]),
    ...(route.path.includes(':') ? [404] : []),
    ...(limited ? [429] : []),
    ...(doc?.errors ?? []),
  ];
  return [...new Set(list)].sort();
}

function okResponse(ok: RouteDoc['ok'][number]): MethodDecorator {
  if (!ok.produces)
    return ApiResponse({ status: ok.status, description: ok.description, type: ok.type });
  const schema =
    ok.produces[0] === 'text/event-stream' || ok.produces[0] === 'text/plain'
      ? { type: 'string' }
      : { type: 'string', format: 'binary' };
  const content = Object.fromEntries(ok.produces.map((type) => [type, { schema }]));
  return ApiResponse({ status: ok.status, description: ok.description, content });
}

/** The swagger plugin's view of a handler (its return type), once the metadata is loaded. */
const PLUGIN_FACTORY = '_OPENAPI_METADATA_FACTORY';

/** A route API.md's table does not name: Nest's status, with the type the plugin derived. */
function defaultOk(route: RouteInfo): RouteDoc['ok'][number] {
  const explicit = Reflect.getMetadata(HTTP_CODE_METADATA, route.target) as number | undefined;
  const status = explicit ?? (route.method === 'POST' ? 201 : 200);
  const factory = (route.prototype.constructor as unknown as Record<string, unknown>)[
    PLUGIN_FACTORY
  ];
  const plugin =
    typeof factory === 'function' ? (factory as () => Record<string, { type?: unknown }>)() : {};
  const type = plugin[route.handler]?.type;
  return {
    status,
    description: 'success',
    type:
      typeof type === 'function' && type !== Object
        ? (type as RouteDoc['ok'][number]['type'])
        : undefined,
  };
}

/** Applies what API.md says of the route as swagger decorators (once per handler). */
function documentRoute(route: RouteInfo): void {
  if (documented.has(route.target)) return;
  documented.add(route.target);
  const doc = ROUTE_DOCS[`${route.controller}.${route.handler}`];
  const decorators: MethodDecorator[] = [];
  if (!route.public) decorators.push(ApiBearerAuth());
  if (Reflect.getMetadata(QUERY_TOKEN_ROUTE, route.target)) {
    decorators.push(
      ApiQuery({
        name: 'access_token',
        required: false,
        type: String,
        description: 'the bearer token (EventSource cannot send headers)',
      }),
    );
  }
  for (const ok of doc?.ok ?? [defaultOk(route)]) decorators.push(okResponse(ok));
  for (const status of errorStatuses(route, doc)) {
    // Errors are JSON even where the success answer is a file or an event stream.
    const content = { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } };
    decorators.push(ApiResponse({ status, description: ERROR_TEXT[status] ?? 'error', content }));
  }
  if (doc?.multipart) decorators.push(ApiBody({ schema: UPLOAD_SCHEMA }));
  const descriptor = Object.getOwnPropertyDescriptor(route.prototype, route.handler);
  for (const decorate of decorators) decorate(route.prototype, route.handler, descriptor!);
}

const UPLOAD_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description: 'FITS (optionally compressed), PNG, JPEG, TIFF or WebP',
    },
    name: { type: 'string', description: 'display name (default: the file name)' },
  },
};

/** Drops the success statuses Nest guessed (e.g. 201 for every POST) where API.md says others. */
function pruneGuessedStatuses(document: OpenAPIObject, routes: RouteInfo[]): void {
  for (const route of routes) {
    const doc = ROUTE_DOCS[`${route.controller}.${route.handler}`];
    const operation =
      document.paths[openApiPath(route.path)]?.[route.method.toLowerCase() as 'get'];
    if (!doc || !operation) continue;
    const declared = new Set(doc.ok.map((ok) => String(ok.status)));
    for (const status of Object.keys(operation.responses)) {
      if (/^[23]/.test(status) && !declared.has(status)) delete operation.responses[status];
    }
  }
}

/** The complete OpenAPI document at `/api/docs` (UI) and `/api/docs-json`. */
export async function setupOpenApi(app: INestApplication): Promise<OpenAPIObject> {
  await loadPluginMetadata();
  const routes = walkRoutes(app);
  routes.forEach(documentRoute);
  const config = new DocumentBuilder()
    .setTitle('Darkroom')
    .setDescription('Long image work behind a web app: see API.md for the contract.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodyDto] });
  pruneGuessedStatuses(document, routes);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return document;
}
