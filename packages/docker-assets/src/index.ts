export { ASSET_FILES, type AssetFile, assetPath, OFFLINE_IMAGES, offlinePath, PYTHON_BASE_RECIPE, type StandIn } from './assets.ts';
