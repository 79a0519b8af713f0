#!/usr/bin/env node
// Runs the compiled CLI (npm's prepare script builds dist/ at install time).
import { main } from '../dist/src/cli/quiver-admin.js';

process.exitCode = await main(process.argv.slice(2));
