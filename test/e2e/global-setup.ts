// Builds the admin UI before the browser tests import the server, so they always test the current client code.
// @ts-expect-error: a plain ES module script without types
import { buildUi } from '../../scripts/build-ui.mjs';

export default async function setup(): Promise<void> {
  await buildUi();
}
