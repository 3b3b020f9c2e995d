import { ENDPOINTS, EndpointName } from '../client/src/api/endpoints';
import {
  ASSET_KEYS,
  COMPOSITE_BODY_KEYS,
  COMPOSITE_CHANNEL_KEYS,
  DIAGNOSTIC_BODY_KEYS,
  JOB_KEYS,
  MOSAIC_BODY_KEYS,
  STATS_KEYS,
} from '../client/src/api/schema-keys';
import { TestApp } from './support/test-app';

/** Routes other engineers are adding right now: checked once the document has them. */
const PENDING: EndpointName[] = ['assetHeader'];

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
};

/**
 * Holds the SPA's hand-typed API client (client/src/api) against the running app's OpenAPI
 * document: every path and method it calls must exist; where the document describes a body
 * or a response with properties, the keys the client relies on must be among them.
 */
describe('SPA API client vs /api/docs-json', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, any>>; components?: { schemas?: any } };

  beforeAll(async () => {
    t = await TestApp.start();
    doc = (await t.request('GET', '/api/docs-json')).body;
  });

  afterAll(() => t?.close());

  const resolve = (s: Schema | undefined): Schema | undefined => {
    if (!s) return undefined;
    if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop()!]);
    if (s.allOf) {
      const parts = s.allOf.map(resolve);
      return { properties: Object.assign({}, ...parts.map((p) => p?.properties ?? {})) };
    }
    return s;
  };
  const propsOf = (s: Schema | undefined): string[] => Object.keys(resolve(s)?.properties ?? {});
  const operation = (name: EndpointName) => {
    const { path, method } = ENDPOINTS[name];
    return doc.paths[path]?.[method];
  };
  const requestSchema = (name: EndpointName): Schema | undefined =>
    operation(name)?.requestBody?.content?.['application/json']?.schema;
  const responseSchema = (name: EndpointName): Schema | undefined => {
    const responses = operation(name)?.responses ?? {};
    const ok = responses['200'] ?? responses['201'] ?? responses['202'];
    return ok?.content?.['application/json']?.schema;
  };
  /** Keys the client sends or needs that a described schema lacks ([] when undescribed). */
  const missing = (keys: Record<string, boolean>, schema: Schema | undefined, all: boolean) => {
    const props = propsOf(schema);
    if (props.length === 0) return [];
    return Object.entries(keys)
      .filter(([key, required]) => (all || required) && !props.includes(key))
      .map(([key]) => key);
  };

  it('should find every path and method the client calls', () => {
    const absent = (Object.keys(ENDPOINTS) as EndpointName[])
      .filter((name) => !PENDING.includes(name) || doc.paths[ENDPOINTS[name].path])
      .filter((name) => !operation(name))
      .map((name) => `${ENDPOINTS[name].method.toUpperCase()} ${ENDPOINTS[name].path}`);
    expect(absent).toEqual([]);
  });

  it('should send only body fields the document knows, where it describes them', () => {
    const channel = resolve(requestSchema('compositeExport'))?.properties?.channels?.items;
    expect({
      composite: missing(COMPOSITE_BODY_KEYS, requestSchema('compositeExport'), true),
      channel: missing(COMPOSITE_CHANNEL_KEYS, channel, true),
      mosaic: missing(MOSAIC_BODY_KEYS, requestSchema('mosaicExport'), true),
      diagnostic: missing(DIAGNOSTIC_BODY_KEYS, requestSchema('diagnosticJob'), true),
    }).toEqual({ composite: [], channel: [], mosaic: [], diagnostic: [] });
  });

  it('should find the fields the client needs in described responses', () => {
    const listItem = (name: EndpointName) =>
      resolve(responseSchema(name))?.properties?.items?.items;
    expect({
      job: missing(JOB_KEYS, responseSchema('getJob'), false),
      jobList: missing(JOB_KEYS, listItem('listJobs'), false),
      asset: missing(ASSET_KEYS, responseSchema('getAsset'), false),
      assetList: missing(ASSET_KEYS, listItem('listAssets'), false),
      stats: missing(STATS_KEYS, responseSchema('stats'), false),
    }).toEqual({ job: [], jobList: [], asset: [], assetList: [], stats: [] });
  });
});
