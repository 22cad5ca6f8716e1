export { ASSET_FILES, assetPath } from './assets.ts';
