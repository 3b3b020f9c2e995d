import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import { ROUTE_DOCS } from '../../src/core/openapi/api-contract';
import { openApiPath, RouteInfo, walkRoutes } from '../../src/core/openapi/route-walk';
import { TestApp } from '../support/test-app';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
};
type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  security?: Record<string, string[]>[];
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

/** The DTO classes a handler takes as `@Body()` and `@Query()`. */
function dtoParams(route: RouteInfo): { kind: 'body' | 'query'; type: new () => unknown }[] {
  const args = (Reflect.getMetadata(
    ROUTE_ARGS_METADATA,
    route.prototype.constructor,
    route.handler,
  ) ?? {}) as Record<string, { index: number }>;
  const types = (Reflect.getMetadata('design:paramtypes', route.prototype, route.handler) ??
    []) as (new () => unknown)[];
  return Object.entries(args).flatMap(([key, { index }]) => {
    const paramType = Number(key.split(':')[0]) as RouteParamtypes;
    const kind =
      paramType === RouteParamtypes.BODY
        ? 'body'
        : paramType === RouteParamtypes.QUERY
          ? 'query'
          : undefined;
    const type = types[index];
    return kind && type && type !== Object ? [{ kind, type }] : [];
  });
}

/** Every validated field of a DTO class (inherited ones included). */
function fieldsOf(type: new () => unknown): string[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  return [...new Set(metas.map((m) => m.propertyName))].sort();
}

describe('operations: OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await TestApp.start();
    doc = (await t.request('GET', '/api/docs-json')).body as Document;
    routes = walkRoutes(t.app);
  });

  afterAll(() => t.close());

  const operationOf = (route: RouteInfo): Operation | undefined =>
    doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];

  const resolve = (schema: Schema): Schema => {
    const ref = schema.$ref ?? schema.allOf?.[0]?.$ref;
    return ref ? doc.components.schemas[ref.split('/').pop()!] : schema;
  };

  it('should list every route of the router, with bearer auth on every non-public one', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const missing = routes.filter((r) => !operationOf(r)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    const open = routes.filter(
      (r) => !r.public && !operationOf(r)?.security?.some((s) => 'bearer' in s),
    );
    expect(open.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('should describe every field of every body and query DTO', () => {
    const gaps: string[] = [];
    for (const route of routes) {
      const op = operationOf(route);
      for (const { kind, type } of dtoParams(route)) {
        const documented =
          kind === 'query'
            ? (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)
            : Object.keys(
                resolve(op?.requestBody?.content['application/json']?.schema ?? {}).properties ??
                  {},
              );
        for (const field of fieldsOf(type)) {
          if (!documented.includes(field))
            gaps.push(`${route.method} ${route.path} ${kind}.${field}`);
        }
      }
    }
    expect(gaps).toEqual([]);
  });

  it('should give every /api operation a success answer with the contract statuses and error bodies', () => {
    for (const route of routes.filter((r) => r.path.startsWith('/api'))) {
      const responses = operationOf(route)!.responses;
      const label = `${route.method} ${route.path}`;
      expect({ label, ok: Object.keys(responses).some((s) => /^[23]/.test(s)) }).toEqual({
        label,
        ok: true,
      });
      const error = responses[route.public ? '400' : '401'];
      expect({ label, ref: error?.content?.['application/json']?.schema.$ref }).toEqual({
        label,
        ref: '#/components/schemas/ErrorBodyDto',
      });
    }
    const cancel = doc.paths['/api/jobs/{id}/cancel'].post.responses;
    expect(
      Object.keys(cancel)
        .filter((s) => s.startsWith('2'))
        .sort(),
    ).toEqual(['200', '202']);
    expect(resolve(cancel['202'].content!['application/json'].schema).properties).toHaveProperty(
      'cancelRequested',
    );
    const submit = doc.paths['/api/diagnostics/jobs'].post.responses;
    expect(resolve(submit['202'].content!['application/json'].schema).properties).toHaveProperty(
      'jobId',
    );
    expect(submit).toHaveProperty('429');
    const list = doc.paths['/api/jobs'].get;
    expect(list.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'state', 'type']),
    );
  });

  it('should document only routes that exist (no stale entry in the contract table)', () => {
    const handlers = new Set(routes.map((r) => `${r.controller}.${r.handler}`));
    expect(Object.keys(ROUTE_DOCS).filter((key) => !handlers.has(key))).toEqual([]);
  });

  it('should declare every path parameter', () => {
    const gaps: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(operations)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        for (const name of names)
          if (!declared.includes(name)) gaps.push(`${method} ${path} ${name}`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('should give every JSON answer of the API a schema with its fields', () => {
    // Files, streams and redirects answer other content types.
    const binary = /\/(result|content|thumbnail)$|^\/api\/sse\//;
    const gaps: string[] = [];
    for (const route of routes.filter((r) => r.path.startsWith('/api') && !binary.test(r.path))) {
      const responses = operationOf(route)!.responses;
      const success = Object.entries(responses).find(([status]) => /^20[012]$/.test(status));
      if (!success) continue; // 204 and 3xx: no body
      const schema = success[1].content?.['application/json']?.schema;
      const resolved = schema && resolve(schema);
      const fields =
        resolved?.properties ?? (resolved?.items && resolve(resolved.items).properties);
      if (!fields || Object.keys(fields).length === 0) gaps.push(`${route.method} ${route.path}`);
    }
    expect(gaps).toEqual([]);
  });

  it('should describe the multipart upload body', () => {
    const body = doc.paths['/api/assets'].post.requestBody?.content['multipart/form-data']?.schema;
    expect(body?.properties?.file).toMatchObject({ type: 'string', format: 'binary' });
  });
});
