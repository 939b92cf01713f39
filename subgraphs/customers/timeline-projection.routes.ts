import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { InternalSigner, PRINCIPAL_HEADER, SERVICE_ROLE } from '../platform/auth';
import { safeError } from '../platform/logger';
import type { Telemetry } from '../platform/server';
import { readTimelineSlices, SLICES_BODY_LIMIT, TIMELINE_SLICES_ROUTE, type TimelineSlice } from '../platform/timeline-slices';
import { PEER_SUBGRAPHS, type PeerSubgraph } from './peer-sources';
import { applySlices } from './timeline-projection.repository';

const refuse = (res: Response, status: number, code: string, message: string) => res.status(status).json({ errors: [{ message, extensions: { code } }] });

/**
 * TIMELINE_SLICES_ROUTE: a peer's feed delivers its customers' events. Only
 * a peer's signed service principal gets past the first step (before the
 * body is even read), and it writes the slices of its own source only: the
 * source is the principal's service, never a field of the body.
 */
export function timelineSlicesRoute(dataSource: DataSource, internalAuthSecret: string): (app: Express, telemetry: Telemetry) => void {
  const signer = new InternalSigner(internalAuthSecret);
  return (app, telemetry) => {
    const applied = telemetry.metrics.counter('c360_timeline_slices_applied_total', 'Timeline slices the peers delivered that replaced a stored one', []);
    const authenticate = (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const token = req.headers[PRINCIPAL_HEADER];
        const principal = await signer.verify(typeof token === 'string' ? token : undefined);
        const service = principal?.sub.replace(/^service:/, '');
        if (!principal?.roles.includes(SERVICE_ROLE) || !(PEER_SUBGRAPHS as readonly string[]).includes(service ?? '')) {
          refuse(res, 401, 'UNAUTHENTICATED', 'only a peer service may deliver timeline events');
          return;
        }
        res.locals.source = service as PeerSubgraph;
        next();
      })();
    };
    app.post(TIMELINE_SLICES_ROUTE, authenticate, express.json({ limit: SLICES_BODY_LIMIT }), (req, res) => {
      void (async () => {
        let slices: TimelineSlice[];
        try {
          slices = readTimelineSlices(req.body);
        } catch (error) {
          refuse(res, 400, 'BAD_USER_INPUT', (error as Error).message);
          return;
        }
        try {
          const replaced = await applySlices(dataSource, res.locals.source as string, slices);
          applied.inc(replaced);
          res.json({ accepted: slices.length, replaced });
        } catch (error) {
          telemetry.logger.error({ err: safeError(error) }, 'timeline slices not applied');
          refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
        }
      })();
    });
  };
}
