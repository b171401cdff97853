#!/usr/bin/env node
// The `causette` command: runs the compiled CLI (npm run build writes dist/).
import '../dist/core/cli/main.js'
