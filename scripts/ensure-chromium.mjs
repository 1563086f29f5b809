// Installs Debian's chromium package when `command -v chromium` finds none (as root, or with
// passwordless sudo), and prints the path: what the browser tests and the runtime matrix drive.
import { ensureChromium } from './runtimes/install.mjs';

const { path } = await ensureChromium();
console.log(`chromium: ${path}`);
