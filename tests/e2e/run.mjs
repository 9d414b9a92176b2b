// Runs the e2e tests (tests/e2e/run.sh starts the server and sets E2E_BASE).
import { run } from './lib.mjs';
import './static.mjs';
import './ui.mjs';

process.exitCode = await run();
