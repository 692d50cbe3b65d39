import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { javaPackages, parseJavaManifest, parsePomProperties } from '../../../../src/vuln/catalog/index.js';
import { fileNameParts } from '../../../../src/vuln/catalog/java/index.js';
import { pomProperties, zipOf } from './kit/zip.js';

const ids = (pkgs: ReturnType<typeof javaPackages>) =>
  pkgs.map((p) => `${p.name}@${p.version} ${p.locations[0]}`);

describe('MANIFEST.MF and pom.properties', () => {
  it('continuations, sections, comments', () => {
    const m = parseJavaManifest(
      'Manifest-Version: 1.0\r\nImplementation-Title: a very long titl\r\n e continued\r\n\r\nName: org/x/\r\nImplementation-Version: 9\r\n',
    );
    expect(m.main.get('Implementation-Title')).toBe('a very long title continued');
    expect(m.sections[0]?.get('Implementation-Version')).toBe('9');
    const p = parsePomProperties('#c\n!c\ngroupId = org.x\nartifactId:y\nversion=1\n');
    expect([...p]).toEqual([
      ['groupId', 'org.x'],
      ['artifactId', 'y'],
      ['version', '1'],
    ]);
  });

  it('file names split as syft does', () => {
    expect(fileNameParts('lib/commons-text-1.10.0.jar')).toEqual({ name: 'commons-text', version: '1.10.0' });
    expect(fileNameParts('jetty-util-9.4.51.v20230217.jar')).toEqual({
      name: 'jetty-util',
      version: '9.4.51.v20230217',
    });
    expect(fileNameParts('app.war')).toEqual({ name: 'app' });
    expect(fileNameParts('org.apache.felix.main-7.0.5.jar')).toEqual({ name: 'main', version: '7.0.5' });
    expect(fileNameParts('org.eclipse.osgi-3.18.jar')).toEqual({ name: 'org.eclipse.osgi', version: '3.18' });
  });
});

describe('javaPackages', () => {
  const jackson = pomProperties('com.fasterxml.jackson.core', 'jackson-databind', '2.15.2');
  const shadedGuava = pomProperties('com.google.guava', 'guava', '32.1.1-jre');

  it('the pom.properties that fits the file name is the main package; the others are shaded packages', () => {
    const jar = zipOf({
      'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n',
      'META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties': jackson,
      'META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.xml': '<project/>',
      'META-INF/maven/com.google.guava/guava/pom.properties': shadedGuava,
      'META-INF/maven/broken/nothing/pom.properties': 'groupId=x\n',
    });
    const pkgs = javaPackages(jar, 'opt/app/lib/jackson-databind-2.15.2.jar');
    expect(ids(pkgs)).toEqual([
      'com.fasterxml.jackson.core:jackson-databind@2.15.2 opt/app/lib/jackson-databind-2.15.2.jar',
      'com.google.guava:guava@32.1.1-jre opt/app/lib/jackson-databind-2.15.2.jar',
    ]);
    expect(pkgs[0]).toMatchObject({
      ecosystem: 'maven',
      purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2',
      evidence: 'java-archive',
    });
  });

  it('nested archives recurse with outer:inner locations; a corrupt nested jar is a warning', () => {
    const inner = zipOf({
      'META-INF/maven/org.x/inner/pom.properties': pomProperties('org.x', 'inner', '1.0'),
    });
    const war = zipOf({
      'WEB-INF/lib/inner-1.0.jar': inner,
      'WEB-INF/lib/broken-2.0.jar': Buffer.from('PK\x03\x04 not really'),
      'META-INF/maven/org.x/app/pom.properties': pomProperties('org.x', 'app', '3.0'),
    });
    const warnings: string[] = [];
    const pkgs = javaPackages(war, 'srv/app.war', { warn: (m) => warnings.push(m) });
    expect(ids(pkgs)).toEqual([
      'org.x:app@3.0 srv/app.war',
      'org.x:inner@1.0 srv/app.war:WEB-INF/lib/inner-1.0.jar',
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/^skipped srv\/app\.war:WEB-INF\/lib\/broken-2\.0\.jar: .*zip/),
    ]);
  });

  it('manifest-only jars: name from Bundle-SymbolicName or the file, version from the file or the manifest, group from the manifest', () => {
    const bundle = zipOf({
      'META-INF/MANIFEST.MF':
        'Manifest-Version: 1.0\nBundle-SymbolicName: org.apache.commons.lang3;singleton:=true\nBundle-Version: 3.12.0\nImplementation-Vendor: The Apache Software Foundation\n',
    });
    expect(ids(javaPackages(bundle, 'commons-lang3.jar'))).toEqual([
      'org.apache.commons.lang3:lang3@3.12.0 commons-lang3.jar',
    ]);
    const plain = zipOf({
      'META-INF/MANIFEST.MF':
        'Manifest-Version: 1.0\nImplementation-Title: tool\nMain-Class: com.example.tool.Main\n',
    });
    expect(ids(javaPackages(plain, 'tool-4.2.jar'))).toEqual(['com.example.tool:tool@4.2 tool-4.2.jar']);
    const nogroup = zipOf({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\nImplementation-Version: 1.1\n' });
    expect(ids(javaPackages(nogroup, 'thing.jar'))).toEqual(['thing:thing@1.1 thing.jar']);
    const noversion = zipOf({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n' });
    expect(javaPackages(noversion, 'thing.jar')).toEqual([]);
  });

  it('New Relic Weave-Classes jars give nothing (trap T15)', () => {
    const weave = zipOf({
      'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\nWeave-Classes: x\n',
      'META-INF/maven/org.x/y/pom.properties': pomProperties('org.x', 'y', '1'),
    });
    expect(javaPackages(weave, 'y-1.jar')).toEqual([]);
  });

  it('a pom.properties without groupId uses the artifactId; stored members read too', () => {
    const jar = zipOf(
      { 'META-INF/maven/x/lonely/pom.properties': pomProperties(undefined, 'lonely', '0.9') },
      { stored: true },
    );
    expect(ids(javaPackages(jar, 'lonely-0.9.jar'))).toEqual(['lonely:lonely@0.9 lonely-0.9.jar']);
  });

  it('a corrupt archive is ZIP_INVALID naming it', () => {
    const jar = zipOf({ 'META-INF/maven/x/y/pom.properties': pomProperties('x', 'y', '1') });
    let err: unknown;
    try {
      javaPackages(jar.subarray(0, jar.length - 30), 'lib/y.jar');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LarderError);
    expect((err as LarderError).code).toBe('ZIP_INVALID');
    expect((err as Error).message).toMatch(/^lib\/y\.jar: /);
  });
});
