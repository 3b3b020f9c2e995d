import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowSignedLink, CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { AssetHeaderDto } from './asset-header.dto';
import { AssetHeaderService } from './asset-header.service';
import { AssetHistogramDto, HistogramQuery } from './asset-histogram.dto';
import { AssetHistogramService } from './asset-histogram.service';
import { AssetView } from './asset-view';
import { SignedLinkQuery } from '../../core/http/query.dto';
import { sendStream } from '../../core/http/send-stream';
import { ErrorBodyDto } from '../../core/openapi/responses.dto';
import { HISTOGRAM_BINS } from '../../imaging';
import { ListAssetsQuery, ThumbnailQuery } from './assets.dto';
import { AssetDownload, AssetsService } from './assets.service';

function send(res: Response, download: AssetDownload): void {
  if ('redirect' in download) return res.redirect(302, download.redirect);
  res.status(200).set(download.headers);
  sendStream(res, download.stream);
}

@Controller('api/assets')
export class AssetsController {
  constructor(
    private readonly assets: AssetsService,
    private readonly headers: AssetHeaderService,
    private readonly histograms: AssetHistogramService,
  ) {}

  /** Multipart upload: the body reaches the service as a raw stream (no body parser). */
  @Post()
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  upload(@CurrentUser() user: Principal, @Req() req: Request): Promise<AssetView> {
    return this.assets.upload(user, req);
  }

  @Get()
  list(@CurrentUser() user: Principal, @Query() query: ListAssetsQuery) {
    return this.assets.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: Principal, @Param('id') id: string): Promise<AssetView> {
    return this.assets.view(user, id);
  }

  @Get(':id/content')
  @AllowSignedLink()
  async content(
    @CurrentUser() user: Principal,
    @Param('id') id: string,
    @Query() _query: SignedLinkQuery,
    @Res() res: Response,
  ): Promise<void> {
    send(res, await this.assets.content(user, id));
  }

  /** FITS only: the header cards of the image HDU used; other formats `404`. */
  @Get(':id/header')
  header(@CurrentUser() user: Principal, @Param('id') id: string): Promise<AssetHeaderDto> {
    return this.headers.header(user, id);
  }

  /** Counts of the raw values (FITS physical values, raster samples) a composite channel uses. */
  @Get(':id/histogram')
  @ApiUnprocessableEntityResponse({
    description: 'unsupported_image (unreadable original) or too_large (over the memory budget)',
    type: ErrorBodyDto,
  })
  histogram(
    @CurrentUser() user: Principal,
    @Param('id') id: string,
    @Query() query: HistogramQuery,
  ): Promise<AssetHistogramDto> {
    return this.histograms.histogram(user, id, query.bins ?? HISTOGRAM_BINS.default);
  }

  @Get(':id/thumbnail')
  @AllowSignedLink()
  async thumbnail(
    @CurrentUser() user: Principal,
    @Param('id') id: string,
    @Query() query: ThumbnailQuery,
    @Res() res: Response,
  ): Promise<void> {
    send(res, await this.assets.thumbnail(user, id, query));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: Principal, @Param('id') id: string): Promise<void> {
    await this.assets.remove(user, id);
  }
}
