// Baseline for bench/run.mjs: what a comment-losing KRM function pays (the old kpt-functions SDK):
// js-yaml 4 `load` of the whole ResourceList from stdin, `dump` of it to stdout, nothing else.
//
// `noRefs: true`: js-yaml's default dump first looks for objects used twice (to write anchors) with an
// Array#indexOf per object, which is quadratic: 8.7 s instead of 0.5 s on 10,000 Deployments, for the same
// output (a loaded ResourceList without anchors shares no objects). The baseline is the fast variant, so
// the ratios are not flattered by that quirk.
'use strict';
const { readFileSync } = require('node:fs');
const yaml = require('js-yaml');

process.stdout.write(yaml.dump(yaml.load(readFileSync(0, 'utf8')), { lineWidth: -1, noRefs: true }));
