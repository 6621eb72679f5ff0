/**
 * Benchmarks: the load generator ({@link io.netron.benchmarks.LoadBenchmark}) and JMH codec
 * benchmarks. Not published.
 */
@NullMarked
package io.netron.benchmarks;

import org.jspecify.annotations.NullMarked;
