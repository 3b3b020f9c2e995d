import type { CelestialWcs } from '../../../imaging';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ImageFormat } from '../../../imaging';

/** Collection of asset records in production mode; `_id` is the asset id. */
export const ASSET_COLLECTION = 'assets';

/** One asset record as stored in MongoDB (see AssetRecord; `id` lives in `_id`). */
@Schema({ collection: ASSET_COLLECTION, versionKey: false, _id: false })
export class AssetDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  owner: string;

  @Prop({ required: true })
  name: string;

  @Prop({ type: String, required: true })
  format: ImageFormat;

  @Prop({ required: true })
  width: number;

  @Prop({ required: true })
  height: number;

  @Prop({ required: true })
  channels: number;

  @Prop({ required: true })
  bitDepth: number;

  @Prop({ required: true })
  bytes: number;

  @Prop({ required: true })
  sha256: string;

  /** Epoch milliseconds (a number, as in the port, so cursors compare exactly). */
  @Prop({ required: true })
  createdAt: number;

  @Prop({ type: String, default: null })
  thumbnailJobId: string | null;

  @Prop({ type: [String], default: [] })
  thumbnails: string[];

  /** FITS: the celestial WCS read at upload (plain JSON), absent otherwise. */
  @Prop({ type: Object })
  wcs?: CelestialWcs | null;
}

export const AssetSchema = SchemaFactory.createForClass(AssetDocument);
// The two list queries: one owner's newest first, and everyone's (admins), each with the id tie-break.
AssetSchema.index({ owner: 1, createdAt: -1, _id: -1 }, { name: 'owner_createdAt_id' });
AssetSchema.index({ createdAt: -1, _id: -1 }, { name: 'createdAt_id' });
