/**
 * The published coordinates (npm name, version, GitHub repository, image), read from package.json by
 * scripts/coordinates.mjs at build time: esbuild inlines package.json into the bundle and the page.
 */
import pkg from '../package.json';
import { coordinatesOf, type Coordinates } from '../scripts/coordinates.mjs';

export type { Coordinates };
export const COORDINATES: Coordinates = coordinatesOf(pkg);
