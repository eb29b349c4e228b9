#!/usr/bin/env node
// Headless entry in a checkout: runs main/cli.ts through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli.ts');
process.exitCode = await main(process.argv.slice(2));
