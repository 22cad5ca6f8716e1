export { type Bom, type Component, type SbomInput, toCycloneDx } from './cyclonedx.ts';
export { field, type Paragraph, parseDeb822 } from './deb822.ts';
export { type PyDist, parseDistMetadata, parseMetadataHeaders } from './dist-info.ts';
export { type DebPackage, type OsRelease, parseDpkgStatus, parseOsRelease } from './dpkg-status.ts';
export { type LicenseChoice, pythonLicenses } from './licenses.ts';
