import { Module } from '@nestjs/common';
import { DiagnosticHandler } from './diagnostic.handler';
import { DiagnosticsController } from './diagnostics.controller';

/** The diagnostic job type: how the engine is tested end to end and benchmarked. */
@Module({ controllers: [DiagnosticsController], providers: [DiagnosticHandler] })
export class DiagnosticsModule {}
