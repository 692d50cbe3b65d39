import { describe, expect, it } from 'vitest';
import { mapBaseImage, splitImageReference } from '../../../../src/dockerfile/convert/base-images.js';

describe('mapBaseImage', () => {
  it.each([
    ['debian:12', false, 'larder/wolfi-base:latest'],
    ['debian:bookworm-slim', true, 'larder/wolfi-base:latest'],
    ['docker.io/library/ubuntu:22.04', true, 'larder/wolfi-base:latest'],
    ['index.docker.io/library/alpine', true, 'larder/wolfi-base:latest'],
    ['library/fedora:40', false, 'larder/wolfi-base:latest'],
    ['registry.access.redhat.com/ubi9/ubi-minimal:9.4', true, 'larder/wolfi-base:latest'],
    ['redhat/ubi8', true, 'larder/wolfi-base:latest'],
    ['python:3.12-slim-bookworm', false, 'larder/python:3.12'],
    ['python:3.12-slim-bookworm', true, 'larder/python:3.12-dev'],
    ['public.ecr.aws/docker/library/python:3', true, 'larder/python:3-dev'],
    ['node:20', true, 'larder/node:20-dev'],
    ['node:lts-alpine', false, 'larder/node:latest'],
    ['node', true, 'larder/node:latest-dev'],
    ['golang:1.22-bookworm', true, 'larder/go:1.22-dev'],
    ['eclipse-temurin:17-jre-jammy', false, 'larder/jre:17'],
    ['eclipse-temurin:21-jdk', true, 'larder/jdk:21-dev'],
    ['nginx:1.25.3', false, 'larder/nginx:1.25.3'],
  ])('%s (dev: %s) → %s', (ref, dev, expected) => {
    expect(mapBaseImage(ref, 'larder', dev)?.image).toBe(expected);
  });

  it('uses the org as a registry path', () => {
    expect(mapBaseImage('debian:12', 'registry.example.com:5000/team', false)?.image).toBe(
      'registry.example.com:5000/team/wolfi-base:latest',
    );
  });

  it('drops a digest, and says so', () => {
    const m = mapBaseImage(
      'alpine:3.18@sha256:eece025e432126ce23f223450a0326fbebde39cdf496a85d8c016293fc851978',
      'o',
      true,
    );
    expect(m).toEqual({ image: 'o/wolfi-base:latest', distro: true, droppedDigest: true });
  });

  it('leaves unknown images alone', () => {
    for (const ref of [
      'myorg/app:1',
      'quay.io/debian:12',
      'ghcr.io/org/python:3.12',
      'larder/wolfi-base:latest',
    ]) {
      expect(mapBaseImage(ref, 'larder', true)).toBeUndefined();
    }
  });
});

describe('splitImageReference', () => {
  it.each([
    ['debian', { repository: 'debian', tag: undefined, digest: undefined }],
    ['localhost:5000/app:1.0', { repository: 'localhost:5000/app', tag: '1.0', digest: undefined }],
    ['localhost:5000/app', { repository: 'localhost:5000/app', tag: undefined, digest: undefined }],
    ['a/b:c@sha256:00', { repository: 'a/b', tag: 'c', digest: 'sha256:00' }],
  ])('%s', (ref, expected) => {
    expect(splitImageReference(ref)).toEqual(expected);
  });
});
