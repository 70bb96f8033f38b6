#!/bin/bash
# The busy-link check is now part of the benchmark suite (`layertrace bench all`, section "scale"):
# on a private copy of the lab, 1000 probes while iperf3 floods the same path, the probes seen at every
# device layer, the tracer's CPU per probe and the flood's throughput with and without probing.
# This script runs only that section, with a small big-host part, and leaves BENCHMARKS.md alone.
set -eu
cd "$(dirname "$0")/.."
exec ./layertrace bench all --skip doctor,render,web,trace,startup,lab --containers 10 --no-markdown \
  --json "${1:-/tmp/layertrace-flood-check.json}"
