/**
 * A CycloneDX 1.6 JSON document for a container image, from what is in it: its Debian packages (dpkg status) and
 * its Python distributions (the venv's dist-info). Pure: the caller passes the time and the serial number, so the
 * same image gives the same document.
 */
import { PackageURL } from 'packageurl-js';
import type { PyDist } from './dist-info.ts';
import type { DebPackage, OsRelease } from './dpkg-status.ts';
import type { LicenseChoice } from './licenses.ts';

export interface Component {
  type: 'library' | 'container' | 'application';
  'bom-ref': string;
  name: string;
  version?: string;
  description?: string;
  publisher?: string;
  purl?: string;
  licenses?: LicenseChoice[];
  externalReferences?: { type: 'website'; url: string }[];
  properties?: { name: string; value: string }[];
}

export interface Bom {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: 1;
  metadata: { timestamp: string; tools: { components: Component[] }; component: Component };
  components: Component[];
}

export interface SbomInput {
  /** The image as the user named it (`promtior-assistant:latest`) and its id (`sha256:...`). */
  image: { ref: string; id?: string };
  os?: OsRelease;
  debs: readonly DebPackage[];
  pythons: readonly PyDist[];
  tool: { name: string; version: string };
  /** ISO 8601. */
  timestamp: string;
  /** `urn:uuid:<RFC 4122 uuid>`. */
  serialNumber: string;
}

export function toCycloneDx(input: SbomInput): Bom {
  const distro = input.os ? `${input.os.id}${input.os.versionId ? `-${input.os.versionId}` : ''}` : undefined;
  const components = dedupe([...input.debs.map((d) => debComponent(d, input.os?.id ?? 'debian', distro)), ...input.pythons.map(pyComponent)]);
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: input.serialNumber,
    version: 1,
    metadata: {
      timestamp: input.timestamp,
      tools: { components: [{ type: 'application', 'bom-ref': `tool:${input.tool.name}`, name: input.tool.name, version: input.tool.version }] },
      component: imageComponent(input.image, input.os),
    },
    components,
  };
}

function debComponent(d: DebPackage, namespace: string, distro: string | undefined): Component {
  const purl = new PackageURL('deb', namespace, d.name, d.version, { arch: d.architecture, ...(distro ? { distro } : {}) }, undefined).toString();
  const c: Component = { type: 'library', 'bom-ref': purl, name: d.name, version: d.version, purl };
  if (d.summary) c.description = d.summary;
  if (d.maintainer) c.publisher = d.maintainer;
  const website = webUrl(d.homepage);
  if (website) c.externalReferences = [{ type: 'website', url: website }];
  if (d.source && (d.source.name !== d.name || d.source.version !== d.version))
    c.properties = [{ name: 'debian:source', value: `${d.source.name}@${d.source.version}` }];
  return c;
}

function pyComponent(p: PyDist): Component {
  const purl = new PackageURL('pypi', undefined, p.name, p.version, undefined, undefined).toString();
  const c: Component = { type: 'library', 'bom-ref': purl, name: p.name, version: p.version, purl };
  if (p.summary) c.description = p.summary;
  if (p.licenses.length > 0) c.licenses = p.licenses;
  const website = webUrl(p.homepage);
  if (website) c.externalReferences = [{ type: 'website', url: website }];
  return c;
}

function imageComponent(image: SbomInput['image'], os: OsRelease | undefined): Component {
  // The tag, or the digest, is the version; the name is the rest of the reference.
  const at = image.ref.indexOf('@');
  const colon = image.ref.lastIndexOf(':');
  const split = at >= 0 ? at : colon > image.ref.lastIndexOf('/') ? colon : -1;
  const c: Component = {
    type: 'container',
    'bom-ref': `image:${image.ref}`,
    name: split >= 0 ? image.ref.slice(0, split) : image.ref,
    version: split >= 0 ? image.ref.slice(split + 1) : 'latest',
  };
  const properties = [
    ...(image.id ? [{ name: 'oci:image:id', value: image.id }] : []),
    ...(os?.prettyName ? [{ name: 'oci:image:os', value: os.prettyName }] : []),
  ];
  if (properties.length > 0) c.properties = properties;
  return c;
}

/** Only absolute http(s) URLs: anything else would fail the schema's iri-reference and help nobody. */
function webUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** One component per bom-ref (a venv and the system can hold the same distribution twice). */
function dedupe(components: Component[]): Component[] {
  const seen = new Map<string, Component>();
  for (const c of components) if (!seen.has(c['bom-ref'])) seen.set(c['bom-ref'], c);
  return [...seen.values()];
}
