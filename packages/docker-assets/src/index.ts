export {
  ASSET_FILES,
  type AssetFile,
  assetPath,
  DOCKERFILE_TARGETS,
  type DockerfileTarget,
  OFFLINE_IMAGES,
  offlinePath,
  PYTHON_BASE_RECIPE,
  type StandIn,
} from './assets.ts';
