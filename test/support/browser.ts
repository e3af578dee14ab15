import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (CHROMIUM_PATH overrides), headless, without a sandbox, GPU or background traffic. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const QUIET_HEADLESS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The browser the browser tests drive; `args` replaces the default flags when a test needs others. */
export function launchChromium(args: readonly string[] = QUIET_HEADLESS): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...args] });
}
