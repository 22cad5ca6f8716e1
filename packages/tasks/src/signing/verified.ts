/** What verify-signature hands to the tasks that run the image (docker-run --verify-signature). */
import { output } from '../model/data-flow.ts';

export interface VerifiedImage {
  /** The reference that was checked (`<repository>:<tag>`). */
  ref: string;
  repository: string;
  /** The manifest digest the signature covers. */
  digest: string;
}

export const verifiedImage = output<VerifiedImage>('verified-image');
