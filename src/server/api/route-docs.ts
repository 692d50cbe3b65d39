/** The routes of /api as the OpenAPI document describes them (checked against the app by a test). */
import type { z } from 'zod';
import * as S from './schemas.js';

export interface RouteDoc {
  readonly method: 'get' | 'post' | 'put';
  /** OpenAPI path (`/api/jobs/{key}`). */
  readonly path: string;
  readonly summary: string;
  readonly query?: z.ZodObject;
  readonly body?: {
    readonly schema?: z.ZodType;
    readonly contentType: string;
    readonly description?: string;
  };
  readonly ok: {
    readonly status: number;
    readonly schema?: z.ZodType;
    readonly contentType?: string;
    readonly description: string;
  };
  /** Errors beyond 400 and 401 (which every route may answer). */
  readonly notFound?: boolean;
  readonly write?: boolean;
}

/** Every route of /api, as documented. */
export const API_ROUTES: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/packages',
    summary: 'Published packages',
    ok: { status: 200, schema: S.PackageList, description: 'packages by name' },
  },
  {
    method: 'get',
    path: '/api/packages/{name}',
    summary: 'The published versions of one package',
    ok: { status: 200, schema: S.PackageVersions, description: 'versions' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/builds',
    summary: 'Builds, newest first',
    query: S.BuildsQuery,
    ok: { status: 200, schema: S.BuildList, description: 'builds' },
  },
  {
    method: 'get',
    path: '/api/builds/{key}',
    summary: 'One build by job key',
    ok: { status: 200, schema: S.Build, description: 'the build' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/jobs',
    summary: 'Jobs in queue order',
    query: S.JobsQuery,
    ok: { status: 200, schema: S.JobList, description: 'jobs' },
  },
  {
    method: 'get',
    path: '/api/jobs/{key}',
    summary: 'One job by key',
    ok: { status: 200, schema: S.Job, description: 'the job' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/jobs/{key}/log',
    summary: "A job's log as JSON lines",
    query: S.LogQuery,
    ok: {
      status: 200,
      schema: S.JobLogLine,
      contentType: 'application/x-ndjson',
      description: 'one JobLogLine per line',
    },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/jobs/{key}/log/stream',
    summary: "A job's log followed (SSE: event line, then end)",
    query: S.StreamQuery,
    ok: {
      status: 200,
      contentType: 'text/event-stream',
      description: 'event: line (data JobLogLine, id seq); event: end (data {status}) when the job is done',
    },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/images',
    summary: 'Images with their latest version',
    ok: { status: 200, schema: S.ImageList, description: 'images' },
  },
  {
    method: 'get',
    path: '/api/images/{name}',
    summary: 'One image: versions, digests, findings, signing, history',
    ok: { status: 200, schema: S.ImageDetail, description: 'the image' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/vulnerabilities',
    summary: 'Open findings across images',
    ok: { status: 200, schema: S.FindingList, description: 'findings' },
  },
  {
    method: 'get',
    path: '/api/advisories',
    summary: 'Workspace advisories as last mirrored',
    ok: { status: 200, schema: S.AdvisoryList, description: 'advisories' },
  },
  {
    method: 'post',
    path: '/api/advisories',
    summary: 'Add an event to an advisory',
    write: true,
    body: { schema: S.AdvisoryInputBody, contentType: 'application/json' },
    ok: { status: 201, schema: S.AdvisorySaved, description: 'saved; the reconciler is woken' },
  },
  {
    method: 'get',
    path: '/api/events',
    summary: 'The audit log: newest first, or oldest first after an id',
    query: S.EventsQuery,
    ok: { status: 200, schema: S.EventList, description: 'events' },
  },
  {
    method: 'get',
    path: '/api/events/stream',
    summary: 'The audit log followed (SSE)',
    query: S.StreamQuery,
    ok: {
      status: 200,
      contentType: 'text/event-stream',
      description: 'event: event (data Event, id event id)',
    },
  },
  {
    method: 'get',
    path: '/api/status',
    summary: 'What the reconciler concluded last, and queue counts',
    ok: { status: 200, schema: S.Status, description: 'status' },
  },
  {
    method: 'post',
    path: '/api/reconcile',
    summary: 'Wake the reconciler',
    write: true,
    ok: { status: 202, schema: S.Accepted, description: 'woken' },
  },
  {
    method: 'put',
    path: '/api/repository/{arch}/packages',
    summary: "Publish a worker's built packages",
    write: true,
    body: {
      contentType: 'multipart/form-data',
      description: 'fields key and recipe; one file part named package per .apk',
    },
    ok: { status: 201, schema: S.PublishedList, description: 'the packages as published' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    ok: { status: 200, contentType: 'application/json', description: 'OpenAPI 3.1' },
  },
];
