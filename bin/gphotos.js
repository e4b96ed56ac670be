#!/usr/bin/env node
// Thin launcher: the real entry point is the compiled CLI (npm install runs the build).
import '../dist/cli/main.js';
